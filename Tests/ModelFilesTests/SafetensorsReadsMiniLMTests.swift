import Foundation
import Testing
import TroveTestSupport
import ModelFiles

@Suite("Safetensors: the real all-MiniLM-L6-v2 file") struct SafetensorsReadsMiniLMTests {
    @Test("model.safetensors lists BERT's tensors with their shapes")
    func tensorTable() throws {
        let url = Fixtures.encoderFolder.appendingPathComponent("model.safetensors")
        try Fixtures.required(url)
        let file = try SafetensorsFile(url: url)
        #expect(file.tensors.count == 104)
        #expect(file.tensors["embeddings.word_embeddings.weight"]?.shape == [30522, 384])
        #expect(file.tensors["encoder.layer.5.intermediate.dense.weight"]?.shape == [1536, 384])
        #expect(file.tensors["embeddings.position_ids"]?.dtype == .i64)
        let bias = try file.floats("encoder.layer.0.output.LayerNorm.weight", shape: [384])
        #expect(bias.count == 384 && bias.allSatisfy { $0.isFinite })
        #expect(throws: ModelFileError.self) { try file.floats("embeddings.position_ids", shape: [1, 512]) }
    }
}
