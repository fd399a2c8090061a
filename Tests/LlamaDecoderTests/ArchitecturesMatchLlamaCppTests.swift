import Foundation
import Testing
import LlamaDecoder
import Tensors
import TroveTestSupport

/// One small synthetic model per architecture (llama with Llama 3 rope_freqs and an untied output,
/// qwen2, qwen3, phi3, gemma3: Scripts/make_architecture_references.py says what each holds), in F32
/// and in llama.cpp's Q4_K_M, checked against llama.cpp decoding the same weights (the Q4_K_M file
/// dequantised exactly) greedily: the 16 largest logits after the prompt, then teacher-forced along
/// llama.cpp's continuation, the chosen token and its log-probability at every position. Both paths
/// run: the batched prefill, and the prompt fed through the one-token decode step. The KV cache has
/// llama.cpp's context size (512, and 256 for phi3's short RoPE factors).
///
/// Tolerances: 1e-3 on logits and log-probabilities (measured: ≤ 4e-5), except gemma3's 3e-3
/// (measured: ≤ 1.8e-3). llama.cpp's CPU GELU reads a table of half-precision inputs and outputs
/// (`ggml_vec_geglu_f32` under `GGML_GELU_FP16`), Trove computes the formula in float32; with that
/// table emulated in Trove the difference fell to 4e-4 (the rest: inputs one rounding apart landing
/// on different half-precision values). Greedy tokens are identical either way.
@Suite("Each architecture decodes like llama.cpp on the same weights", .serialized)
struct ArchitecturesMatchLlamaCppTests {
    struct Reference: Decodable {
        struct Prompt: Decodable {
            let name: String
            let prompt_ids: [Int32]
            /// [token id, logit] of the 16 largest logits after the prompt.
            let first_logits_top: [[Double]]
            let exact_dequant_f32: GreedyFixture.Continuation
        }
        struct Header: Decodable { let n_ctx: Int }
        let header: Header
        let prompts: [Prompt]
    }

    static let architectures = DecoderArchitecture.allCases.map(\.rawValue)
    static let formats = ["F32", "Q4_K_M"]
    static let folder = Fixtures.generatedModelsFolder.appendingPathComponent("architectures")
    static func modelFile(_ arch: String, _ format: String) -> URL { folder.appendingPathComponent("\(arch).\(format).gguf") }

    enum Path: String, CaseIterable, Sendable { case prefill, decode }
    struct Case: CustomTestStringConvertible, Sendable {
        let architecture, format: String
        /// "" or the reference's variant (".ctx256": a context within phi3's original one).
        var variant = ""
        let path: Path
        var testDescription: String { "\(architecture) \(format)\(variant) \(path.rawValue)" }
        var referenceFile: URL { folder.appendingPathComponent("\(architecture).\(format)\(variant).greedy.json") }
    }
    static let cases = architectures.flatMap { a in formats.flatMap { f in Path.allCases.map { Case(architecture: a, format: f, path: $0) } } }
        + Path.allCases.map { Case(architecture: "phi3", format: "F32", variant: ".ctx256", path: $0) }

    static let lock = NSLock()
    nonisolated(unsafe) static var loaded: [String: LlamaModel] = [:]
    static func model(_ arch: String, _ format: String) throws -> LlamaModel {
        if let model = loaded[arch + format] { return model }
        try Fixtures.required(modelFile(arch, format))
        let model = try LlamaModel(contentsOf: modelFile(arch, format))
        model.activationPrecision = .float32   // the reference is the exactly dequantised model
        loaded[arch + format] = model
        return model
    }

    @Test("every prompt: the first logits, then greedy tokens and log-probabilities as llama.cpp's", arguments: cases)
    func matchesLlamaCpp(_ test: Case) throws {
        let reference = try JSONDecoder().decode(Reference.self, from: Fixtures.required(test.referenceFile))
        let capacity = reference.header.n_ctx
        let tolerance = test.architecture == "gemma3" ? 3e-3 : 1e-3
        #expect(reference.prompts.count == 5)
        Self.lock.lock()
        defer { Self.lock.unlock() }
        let model = try Self.model(test.architecture, test.format)
        #expect(model.config.architecture.rawValue == test.architecture)
        model.batchedPrefillThreshold = test.path == .prefill ? 8 : Int.max
        defer { model.batchedPrefillThreshold = 8 }
        var worst = 0.0
        for prompt in reference.prompts {
            let label = "\(test.testDescription) \(prompt.name)"
            let logits = try model.forward(tokens: prompt.prompt_ids, cache: model.makeCache(capacity: capacity))
            for pair in prompt.first_logits_top {
                let delta = abs(Double(logits[Int(pair[0])]) - pair[1])
                worst = max(worst, delta)
                #expect(delta < tolerance, "[\(label)] logit of token \(Int(pair[0])): \(logits[Int(pair[0])]) vs \(pair[1])")
            }
            try expectGreedyMatches(model, GreedyFixture.Prompt(name: prompt.name, prompt_ids: prompt.prompt_ids,
                                                                 exact_dequant_f32: prompt.exact_dequant_f32), label: label, capacity: capacity,
                                    tolerance: tolerance)
        }
        print("[\(test.testDescription)] first logits: max |Δ| = \(String(format: "%.2e", worst))")
    }

    @Test("each synthetic file holds what its family adds", arguments: architectures)
    func filesExerciseTheirFamily(_ arch: String) throws {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        let model = try Self.model(arch, "F32"), c = model.config, w = model.weights, layer = w.layers[0]
        switch c.architecture {
        case .llama:
            #expect(!w.outputIsTied && w.ropeFrequencyFactors?.count == 16 && c.ropePairing == .adjacent)
        case .qwen2:
            #expect(layer.queryBias != nil && layer.keyBias != nil && layer.valueBias != nil && w.outputIsTied && c.ropePairing == .halves)
        case .qwen3:
            #expect(layer.queryNorm != nil && layer.keyNorm != nil && c.headDimension == 64 && c.queryLength == 512 && c.embeddingLength == 256)
        case .phi3:
            #expect(c.rotaryDimension == 24 && c.headDimension == 32 && c.ropeMagnitudeScale > 1.19 && c.ropeOriginalContextLength == 256)
            #expect(w.ropeFrequencyFactors?.count == 12 && w.longRopeFrequencyFactors?.count == 12)
            #expect(layer.gate.base + layer.gate.rows * layer.gate.rowBytes == layer.up.base, "gate and up are halves of one ffn_up")
        case .gemma3:
            #expect(c.slidingLayers == [0, 1, 2, 3, 4] && c.slidingWindow == 16 && c.localRopeFrequencyBase == 10_000)
            #expect(c.ropeFrequencyScale == 0.125 && c.finalLogitSoftcap == 30 && c.activation == .geluTanh && c.embeddingScale == 16)
            #expect(layer.postAttentionNorm != nil && layer.postFeedForwardNorm != nil && layer.queryNorm != nil)
        }
    }
}
