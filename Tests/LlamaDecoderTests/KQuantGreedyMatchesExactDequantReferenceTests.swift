import Foundation
import Testing
import LlamaDecoder
import Tensors
import TroveTestSupport

/// SmolLM2 quantised by llama.cpp's own quantiser to Q4_K_M, Q5_K_M, Q6_K, Q3_K_M and Q2_K (each
/// file mixes K-quants with Q4_0…Q8_0: rows of 576 are not whole 256-blocks), and to Q8_0, checked against
/// llama.cpp decoding the same weights dequantised exactly to F32 (Scripts/make-kquant-references.sh).
@Suite("K-quant files decode like llama.cpp on their exactly dequantised weights", .serialized)
struct KQuantGreedyMatchesExactDequantReferenceTests {
    /// A file format and the types its blocks must include (what llama.cpp wrote for SmolLM2).
    struct Format: CustomTestStringConvertible, Sendable {
        let name: String
        let types: Set<QuantType>
        var testDescription: String { name }
        var modelFile: URL { Fixtures.generatedModelsFolder.appendingPathComponent("SmolLM2-135M-Instruct.\(name).gguf") }
        var referenceFile: URL { Fixtures.generatedModelsFolder.appendingPathComponent("SmolLM2-135M-Instruct.\(name).greedy.json") }
    }
    static let formats = [
        Format(name: "Q4_K_M", types: [.q4_K, .q6_K, .q5_0]),
        Format(name: "Q5_K_M", types: [.q5_K, .q6_K, .q5_1]),
        Format(name: "Q6_K", types: [.q6_K, .q8_0]),
        Format(name: "Q3_K_M", types: [.q4_K, .q5_K, .q4_0, .q5_0, .q5_1]),
        Format(name: "Q2_K", types: [.q3_K, .q4_0]),   // llama.cpp gives ffn_down Q3_K and no tensor Q2_K here
        Format(name: "Q2_K-pure", types: [.q2_K, .q4_0]),   // --pure: Q2_K wherever rows allow (gibberish, but exact)
        Format(name: "Q8_0", types: [.q8_0]),
    ]

    struct Case: CustomTestStringConvertible, Sendable {
        let format: Format
        let prompt: GreedyFixture.Prompt
        var testDescription: String { "\(format.name) \(prompt.name)" }
    }
    static let cases: [Case] = formats.flatMap { format in
        ((try? JSONDecoder().decode(GreedyFixture.self, from: Data(contentsOf: format.referenceFile)).prompts) ?? []).map { Case(format: format, prompt: $0) }
    }

    /// One model at a time stays loaded (the tests of a format run one after another).
    static let lock = NSLock()
    nonisolated(unsafe) static var loaded: (name: String, model: LlamaModel)?
    static func model(_ format: Format) throws -> LlamaModel {
        if let loaded, loaded.name == format.name { return loaded.model }
        try Fixtures.required(format.modelFile)
        let model = try LlamaModel(contentsOf: format.modelFile)
        model.activationPrecision = .float32   // the reference is the exactly dequantised model
        loaded = (format.name, model)
        return model
    }

    @Test("the generated file and its reference are there; the file mixes the expected block types", arguments: formats)
    func fileMixesTypes(_ format: Format) throws {
        #expect(try JSONDecoder().decode(GreedyFixture.self, from: Fixtures.required(format.referenceFile)).prompts.count == 5)
        Self.lock.lock()
        defer { Self.lock.unlock() }
        let weights = try Self.model(format).weights
        var types = Set(weights.layers.flatMap { [$0.query.type, $0.key.type, $0.value.type, $0.attentionOutput.type, $0.gate.type, $0.up.type, $0.down.type] })
        types.insert(weights.tokenEmbedding.type)
        #expect(format.types.isSubset(of: types), "\(format.name) holds \(types.map(\.description).sorted())")
    }

    @Test("greedy tokens and log-probabilities per prompt", arguments: cases)
    func greedyMatches(_ test: Case) throws {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        try expectGreedyMatches(Self.model(test.format), test.prompt, label: test.testDescription)
    }
}
