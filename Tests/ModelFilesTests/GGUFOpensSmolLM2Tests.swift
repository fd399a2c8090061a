import Foundation
import Testing
import TroveTestSupport
import ModelFiles

/// The real model file opens with the facts its fixtures header states.
struct GGUFOpensSmolLM2Tests {
    @Test("SmolLM2-135M-Instruct.Q4_1.gguf: llama, 30 blocks, 210 Q4_1 tensors, token_embd Q8_0, norms F32")
    func smolLM2() throws {
        try Fixtures.required(Fixtures.decoderFile)
        let gguf = try GGUFFile(url: Fixtures.decoderFile)
        #expect(gguf.version == 3)
        #expect(try gguf.architecture == "llama")
        #expect(try gguf.integer("llama.block_count") == 30)
        #expect(try gguf.integer("llama.embedding_length") == 576)
        #expect(try gguf.float("llama.attention.layer_norm_rms_epsilon") == 1e-5)
        #expect(try gguf.string("tokenizer.ggml.pre") == "smollm")
        #expect(try gguf.stringArray("tokenizer.ggml.tokens").count == 49152)
        #expect(try gguf.stringArray("tokenizer.ggml.merges").count == 48900)
        #expect(try gguf.int32Array("tokenizer.ggml.token_type").count == 49152)
        #expect(gguf.tensorInfos.count == 272)
        #expect(gguf.tensorInfos.filter { $0.type == .q4_1 }.count == 210)
        let embedding = try gguf.tensorInfo("token_embd.weight")
        #expect(embedding.type == .q8_0 && embedding.dimensions == [576, 49152])
        #expect(embedding.rowLength == 576 && embedding.rowCount == 49152 && embedding.rowByteCount == 576 / 32 * 34)
        #expect(try gguf.tensorInfo("blk.0.attn_q.weight").rowByteCount == 576 / 32 * 20)
        #expect(try gguf.tensorData("token_embd.weight").count == 576 * 49152 / 32 * 34)
        let norms = gguf.tensorInfos.filter { $0.name.hasSuffix("norm.weight") }
        #expect(norms.count == 61 && norms.allSatisfy { $0.type == .f32 && $0.dimensions == [576] })
        #expect(try gguf.tensorInfo("blk.0.ffn_down.weight").dimensions == [1536, 576])
        #expect(!gguf.hasTensor("output.weight"))
    }
}
