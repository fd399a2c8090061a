import Foundation
import ModelFiles
import Testing
import TroveTestSupport
@testable import LlamaDecoder

@Suite("Malformed models are refused with a named error")
struct MalformedModelsAreRefusedTests {
    /// A 1-layer llama: dim 64, 2 heads of 32, 1 KV head, ff 64, vocab 32.
    static let config = LlamaConfig(layerCount: 1, embeddingLength: 64, feedForwardLength: 64, headCount: 2, kvHeadCount: 1,
                                    ropeFrequencyBase: 10_000, rmsNormEpsilon: 1e-5, contextLength: 16, vocabularySize: 32)

    /// Every tensor of `config` as F32 zeros, with `override` replacing some shapes.
    static func tensors(override: [String: [Int]] = [:]) -> [String: [Int]] {
        var shapes: [String: [Int]] = ["token_embd.weight": [64, 32], "output_norm.weight": [64]]
        for (name, shape) in [("attn_norm", [64]), ("attn_q", [64, 64]), ("attn_k", [64, 32]), ("attn_v", [64, 32]),
                              ("attn_output", [64, 64]), ("ffn_norm", [64]), ("ffn_gate", [64, 64]), ("ffn_up", [64, 64]),
                              ("ffn_down", [64, 64])] {
            shapes["blk.0.\(name).weight"] = shape
        }
        return shapes.merging(override) { $1 }
    }

    func load(_ shapes: [String: [Int]]) throws -> LlamaWeights {
        let storage = [Float](repeating: 0, count: 64 * 64)
        return try storage.withUnsafeBytes { raw in
            try LlamaWeights(config: Self.config, file: "tiny.gguf") { name in
                shapes[name].map { RawTensor(dimensions: $0, ggmlType: 0, typeName: "F32", bytes: raw) }
            }
        }
    }

    @Test("a well-formed set loads, with the output tied to the embedding")
    func wellFormedLoads() throws {
        let weights = try load(Self.tensors())
        #expect(weights.outputIsTied && weights.layers.count == 1)
    }

    @Test("a wrong-shaped tensor is refused, naming the tensor, found and expected shapes")
    func wrongShapeRefused() {
        #expect {
            try load(Self.tensors(override: ["blk.0.attn_q.weight": [64, 32]]))
        } throws: { error in
            "\(error)" == "tiny.gguf: tensor 'blk.0.attn_q.weight' has shape [64, 32], expected [64, 64]"
        }
    }

    @Test("a missing tensor is refused by name")
    func missingRefused() {
        var shapes = Self.tensors()
        shapes["blk.0.ffn_down.weight"] = nil
        #expect(throws: LlamaDecoderError.missingTensor(file: "tiny.gguf", tensor: "blk.0.ffn_down.weight")) { try load(shapes) }
    }

    @Test("a non-llama architecture is refused, naming the file")
    func otherArchitectureRefused() {
        #expect(throws: LlamaDecoderError.unsupportedArchitecture(file: "bert.gguf", found: "bert")) {
            try LlamaConfig(metadata: ["general.architecture": .string("bert")], file: "bert.gguf")
        }
    }

    /// A GGUF file of `shapes` (F32 zeros) with the 1-layer configuration's metadata under `architecture`'s prefix.
    func writeModel(_ shapes: [String: [Int]], architecture: String = "llama", in folder: TemporaryFolder) throws -> URL {
        var metadata: [(String, GGUFWriter.Value)] = [("general.architecture", .string(architecture))]
        for (key, value) in [("block_count", 1), ("embedding_length", 64), ("feed_forward_length", 64),
                             ("attention.head_count", 2), ("attention.head_count_kv", 1), ("context_length", 16),
                             ("vocab_size", 32)] {
            metadata.append(("\(architecture).\(key)", .uint32(UInt32(value))))
        }
        metadata.append(("\(architecture).attention.layer_norm_rms_epsilon", .float32(1e-5)))
        let tensors = shapes.keys.sorted().map { name in
            GGUFWriter.Tensor.f32(name, shapes[name]!, [Float](repeating: 0, count: shapes[name]!.reduce(1, *)))
        }
        return try GGUFWriter(metadata: metadata, tensors: tensors).write(to: folder)
    }

    @Test("a GGUF file with a wrong-shaped tensor is refused through LlamaModel(file:)")
    func ggufFileWithWrongShape() throws {
        let folder = try TemporaryFolder()
        let url = try writeModel(Self.tensors(override: ["blk.0.attn_k.weight": [64, 64]]), in: folder)
        #expect {
            try LlamaModel(contentsOf: url)
        } throws: { error in
            "\(error)" == "\(url.path): tensor 'blk.0.attn_k.weight' has shape [64, 64], expected [64, 32]"
        }
    }

    @Test("an unsupported architecture is refused, naming it and the supported ones")
    func unsupportedArchitectureNamed() throws {
        let folder = try TemporaryFolder()
        let url = try writeModel(Self.tensors(), architecture: "mamba", in: folder)
        #expect {
            try LlamaModel(contentsOf: url)
        } throws: { error in
            "\(error)" == "\(url.path): architecture 'mamba' is not supported by the decoder (supported: llama, qwen2, qwen3, gemma3, phi3)"
        }
    }

    @Test("keys are read under the file's architecture: a qwen2 file loads from qwen2.* keys")
    func keysCarryTheArchitecturePrefix() throws {
        let folder = try TemporaryFolder()
        let model = try LlamaModel(contentsOf: writeModel(Self.tensors(), architecture: "qwen2", in: folder))
        #expect(model.config.architecture == .qwen2 && model.config.layerCount == 1 && model.config.ropePairing == .halves)
    }

    @Test("a tensor the architecture's graph would ignore is refused by name")
    func unusedTensorRefused() throws {
        let folder = try TemporaryFolder()
        let url = try writeModel(Self.tensors(override: ["blk.0.attn_output.bias": [64]]), in: folder)
        #expect(throws: LlamaDecoderError.unusedTensor(file: url.path, tensor: "blk.0.attn_output.bias", architecture: "llama")) {
            try LlamaModel(contentsOf: url)
        }
    }

    @Test("optional tensors are checked by shape: a qwen2 bias of the wrong length is refused")
    func optionalTensorShapeChecked() {
        #expect {
            try load(Self.tensors(override: ["blk.0.attn_k.bias": [64]]))
        } throws: { error in
            "\(error)" == "tiny.gguf: tensor 'blk.0.attn_k.bias' has shape [64], expected [32]"
        }
    }
}
