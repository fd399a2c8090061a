import Foundation
import Testing
import TroveTestSupport
@testable import BertEncoder

/// The opt-in precisions (`--encoder-precision int8|bf16`) must keep every reference text's
/// embedding within cosine 0.995 of sentence-transformers' fp32 vector, one text at a time and in
/// one mixed-length batch, and must name themselves in the encoder's identity.
@Suite("int8 and bf16 embeddings stay close to fp32") struct QuantizedEmbeddingsStayCloseTests {
    static let int8: Result<TextEmbedder, Error> = Result {
        try Fixtures.required(Fixtures.encoderFolder.appendingPathComponent("model.safetensors"))
        return try TextEmbedder(modelFolder: Fixtures.encoderFolder, precision: .int8)
    }
    static let bf16: Result<TextEmbedder, Error> = Result {
        try Fixtures.required(Fixtures.encoderFolder.appendingPathComponent("model.safetensors"))
        return try TextEmbedder(modelFolder: Fixtures.encoderFolder, precision: .bf16)
    }

    static func embedder(_ precision: EncoderPrecision) throws -> TextEmbedder {
        try (precision == .int8 ? int8 : bf16).get()
    }

    @Test("each reference text: cosine with sentence-transformers ≥ 0.995",
          arguments: [EncoderPrecision.int8, .bf16], MiniLMReference.items.map(\.id))
    func single(_ precision: EncoderPrecision, _ id: String) throws {
        let item = try #require(MiniLMReference.items.first { $0.id == id })
        let vector = try #require(try Self.embedder(precision).embed([item.text]).first)
        let c = cosine(vector, item.embedding)
        #expect(c >= 0.995, "\(precision) \(id): cosine \(c)")
    }

    @Test("all 26 texts in one batch equal one by one; minimum cosine printed", arguments: [EncoderPrecision.int8, .bf16])
    func batched(_ precision: EncoderPrecision) throws {
        let items = try MiniLMReference.load()
        let embedder = try Self.embedder(precision)
        let single = try items.map { try embedder.embed([$0.text])[0] }
        let batched = try embedder.embed(items.map(\.text))
        let cosines = zip(batched, items).map { cosine($0, $1.embedding) }
        print("\(precision) vs sentence-transformers, 26 items: min cosine \(cosines.min()!), mean \(cosines.reduce(0, +) / Double(cosines.count))")
        #expect(cosines.min()! >= 0.995)
        // A token's activations are quantised on their own (int8) or rounded alone (bf16), so a text
        // gets the same vector whatever else is in its batch, up to float rounding order.
        for (a, b) in zip(single, batched) { #expect(maxAbsDifference(a, b) <= 1e-5) }
    }

    @Test("the identity names the precision; fp32 keeps the plain identity")
    func identity() throws {
        let fp32 = try MiniLMReference.embedder.get()
        #expect(try Self.embedder(.int8).identity == fp32.identity + "@int8")
        #expect(try Self.embedder(.bf16).identity == fp32.identity + "@bf16")
        #expect(!fp32.identity.contains("@"))
        #expect(fp32.precision == .fp32)
    }
}
