import Foundation
import Testing
import TroveTestSupport
import BertEncoder

/// Embeddings must match sentence-transformers' (fp32, torch) to cosine ≥ 0.99999, text by text
/// and in one mixed-length batch.
@Suite("Embeddings match sentence-transformers") struct EmbeddingMatchesReferenceTests {
    @Test("the fixture is present and holds 26 items")
    func fixturePresent() throws {
        #expect(try MiniLMReference.load().count == 26)
    }

    @Test("one text at a time: ids equal and cosine ≥ 0.99999", arguments: MiniLMReference.items.map(\.id))
    func single(_ id: String) throws {
        let item = try #require(MiniLMReference.items.first { $0.id == id })
        let embedder = try MiniLMReference.embedder.get()
        #expect(embedder.tokenize(item.text) == item.input_ids)
        let vector = try #require(try embedder.embed([item.text]).first)
        #expect(vector.count == 384)
        let c = cosine(vector, item.embedding)
        #expect(c >= 0.99999, "\(id): cosine \(c), max |Δ| \(maxAbsDifference(vector, item.embedding))")
        #expect(maxAbsDifference(vector, item.embedding) <= 1e-4)
    }

    @Test("all 26 texts one by one and in one batch: max |Δ| and min cosine (printed)")
    func summary() throws {
        let items = try MiniLMReference.load()
        let embedder = try MiniLMReference.embedder.get()
        let single = try items.map { try embedder.embed([$0.text])[0] }
        let batched = try embedder.embed(items.map(\.text))
        var singleDelta: Float = 0, batchDelta: Float = 0, batchVsSingle: Float = 0
        var singleCosine = 1.0, batchCosine = 1.0
        for (k, item) in items.enumerated() {
            singleDelta = max(singleDelta, maxAbsDifference(single[k], item.embedding))
            batchDelta = max(batchDelta, maxAbsDifference(batched[k], item.embedding))
            batchVsSingle = max(batchVsSingle, maxAbsDifference(batched[k], single[k]))
            singleCosine = min(singleCosine, cosine(single[k], item.embedding))
            batchCosine = min(batchCosine, cosine(batched[k], item.embedding))
        }
        print("encoder vs sentence-transformers, 26 items: single max|Δ| \(singleDelta) min cos \(singleCosine); "
              + "batched max|Δ| \(batchDelta) min cos \(batchCosine); batched vs single max|Δ| \(batchVsSingle)")
        #expect(singleCosine >= 0.99999 && batchCosine >= 0.99999)
        #expect(singleDelta <= 1e-4 && batchDelta <= 1e-4)
        #expect(batchVsSingle <= 1e-5)
    }
}
