import Foundation
import Testing
import LlamaDecoder
import Tensors
import TroveTestSupport

/// The default run-time path on K-quant files, 8-bit activations (Q8_K) in the K-quant products as
/// llama.cpp runs them, against llama.cpp's greedy decoding of the exactly dequantised weights
/// (the references of ``KQuantGreedyMatchesExactDequantReferenceTests``), teacher-forced.
///
/// Rounding the activations to 8 bits moves log-probabilities by up to a few hundredths of a nat
/// (`tolerance`), so a token may differ only where the reference's own top-1 − top-2 margin is
/// below `nearTie` nats (a near-tie; each is printed with its logits).
@Suite("K-quant files with 8-bit activations decode like llama.cpp up to near-ties", .serialized)
struct KQuantInt8GreedyMatchesLlamaCppTests {
    static let tolerance = 0.1
    static let nearTie = 0.1
    static let formats = KQuantGreedyMatchesExactDequantReferenceTests.formats.filter { $0.name != "Q8_0" }   // Q8_0: no K-quant, no int8 path

    static let cases: [KQuantGreedyMatchesExactDequantReferenceTests.Case] = formats.flatMap { format in
        ((try? JSONDecoder().decode(GreedyFixture.self, from: Data(contentsOf: format.referenceFile)).prompts) ?? [])
            .map { KQuantGreedyMatchesExactDequantReferenceTests.Case(format: format, prompt: $0) }
    }

    static let lock = NSLock()
    nonisolated(unsafe) static var loaded: (name: String, model: LlamaModel)?
    static func model(_ format: KQuantGreedyMatchesExactDequantReferenceTests.Format) throws -> LlamaModel {
        if let loaded, loaded.name == format.name { return loaded.model }
        try Fixtures.required(format.modelFile)
        let model = try LlamaModel(contentsOf: format.modelFile)
        #expect(model.activationPrecision == .int8, "int8 activations are the default")
        loaded = (format.name, model)
        return model
    }

    @Test("every K-quant format has its five prompts", arguments: formats)
    func referencesPresent(_ format: KQuantGreedyMatchesExactDequantReferenceTests.Format) throws {
        #expect(try JSONDecoder().decode(GreedyFixture.self, from: Fixtures.required(format.referenceFile)).prompts.count == 5)
    }

    @Test("greedy tokens equal the reference's except at near-ties; log-probabilities within the 8-bit tolerance", arguments: cases)
    func greedyMatches(_ test: KQuantGreedyMatchesExactDequantReferenceTests.Case) throws {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        try expectGreedyMatches(Self.model(test.format), test.prompt, label: "int8 " + test.testDescription,
                                tolerance: Self.tolerance, nearTie: Self.nearTie)
    }
}
