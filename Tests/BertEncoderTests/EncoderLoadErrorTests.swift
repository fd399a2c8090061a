import Foundation
import Testing
import TroveTestSupport
import BertEncoder

/// A broken model folder is refused with an error that names the file and the problem.
@Suite("Encoder load errors") struct EncoderLoadErrorTests {
    /// A copy of the real folder's small files, with model.safetensors replaced by `weights`.
    static func folder(weights: Data?, dropping: String? = nil) throws -> TemporaryFolder {
        let source = Fixtures.encoderFolder
        let folder = try TemporaryFolder("encoder")
        for name in ["config.json", "sentence_bert_config.json", "1_Pooling/config.json", "vocab.txt"] where name != dropping {
            try folder.write(name, Fixtures.required(source.appendingPathComponent(name)))
        }
        if let weights { try folder.write("model.safetensors", weights) }
        return folder
    }

    @Test("a missing model.safetensors is named")
    func missingWeights() throws {
        let folder = try Self.folder(weights: nil)
        let error = #expect(throws: BertEncoderError.self) { try TextEmbedder(modelFolder: folder.url) }
        #expect(error?.description.contains("model.safetensors") == true, "\(String(describing: error))")
        #expect(error?.description.contains("loading the encoder weights") == true)
    }

    @Test("a missing config.json is named")
    func missingConfig() throws {
        let folder = try Self.folder(weights: Data(), dropping: "config.json")
        let error = #expect(throws: BertEncoderError.self) { try TextEmbedder(modelFolder: folder.url) }
        #expect(error?.description.contains("config.json") == true, "\(String(describing: error))")
    }

    @Test("a truncated safetensors file is refused as corrupt, naming the file")
    func truncatedWeights() throws {
        let real = try Fixtures.required(Fixtures.encoderFolder.appendingPathComponent("model.safetensors"))
        let folder = try Self.folder(weights: real.prefix(20_000))
        let error = #expect(throws: BertEncoderError.self) { try TextEmbedder(modelFolder: folder.url) }
        let message = error?.description ?? ""
        #expect(message.contains("model.safetensors") && message.contains("past the data section"), "\(message)")
    }

    @Test("a tensor with the wrong shape is named with expected and found shapes")
    func wrongShape() throws {
        let header = #"{"embeddings.word_embeddings.weight":{"dtype":"F32","shape":[2,384],"data_offsets":[0,3072]}}"#
        var bytes = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array(header.utf8))
        bytes.append(Data(count: 3072))
        let folder = try Self.folder(weights: bytes)
        let error = #expect(throws: BertEncoderError.self) { try TextEmbedder(modelFolder: folder.url) }
        #expect(error?.description.contains("'embeddings.word_embeddings.weight' has shape [2, 384], expected [30522, 384]") == true,
                "\(String(describing: error))")
    }
}

@Suite("Encoder input errors") struct EncoderInputErrorTests {
    @Test("a token id outside the vocabulary is refused, naming text, position and id")
    func badTokenID() throws {
        let embedder = try MiniLMReference.embedder.get()
        #expect(throws: BertEncoderError.tokenID(text: 1, position: 2, id: 40_000, vocabularySize: 30522)) {
            try embedder.embed(tokenized: [[101, 102], [101, 7592, 40_000, 102]])
        }
    }
}
