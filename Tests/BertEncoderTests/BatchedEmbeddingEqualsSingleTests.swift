import Foundation
import Testing
import TroveTestSupport
import BertEncoder

@Suite("Batched embedding equals single") struct BatchedEmbeddingEqualsSingleTests {
    @Test("texts split over several small batches equal each text alone")
    func smallBudget() throws {
        let items = try MiniLMReference.load()
        let embedder = try MiniLMReference.embedder.get()
        let single = try items.map { try embedder.embed([$0.text])[0] }
        let small = try TextEmbedder(modelFolder: Fixtures.encoderFolder)
        small.batchTokenBudget = 300                 // forces many batches, one over budget alone
        let batched = try small.embed(items.map(\.text) + items.map(\.text))
        #expect(batched.count == 52)
        for k in batched.indices {
            #expect(maxAbsDifference(batched[k], single[k % 26]) <= 1e-5, "item \(k % 26)")
        }
    }

    @Test("an empty list gives no vectors; every vector has unit length")
    func unitLength() throws {
        let embedder = try MiniLMReference.embedder.get()
        #expect(try embedder.embed([]).isEmpty)
        for vector in try embedder.embed(["", "a", String(repeating: "long text ", count: 300)]) {
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
        }
        #expect(embedder.dimension == 384 && embedder.maxTokens == 256)
        #expect(embedder.identity.hasPrefix("all-MiniLM-L6-v2/") && embedder.identity.count == "all-MiniLM-L6-v2/".count + 12)
    }
}
