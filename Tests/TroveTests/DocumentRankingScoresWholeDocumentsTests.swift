import Testing
@testable import Trove

/// Document-level ranking: a document's dense hit is its closest chunk; keyword hits are whole
/// documents; hybrid fuses the two document lists.
struct DocumentRankingScoresWholeDocumentsTests {
    // Chunks 1, 2 of "a", 3 of "b", 9 of a document that is gone.
    static let dense: [DenseHit<Int64>] = [.init(id: 1, squaredL2Distance: 0.6), .init(id: 2, squaredL2Distance: 0.2),
                                           .init(id: 3, squaredL2Distance: 0.4), .init(id: 9, squaredL2Distance: 0.1)]
    static let documentOf: [Int64: String] = [1: "a", 2: "a", 3: "b"]

    @Test("a document's dense hit is its closest chunk; chunks of unknown documents are dropped")
    func bestChunks() {
        let hits = DocumentRanking.bestChunks(Self.dense, documentOf: Self.documentOf)
        #expect(Dictionary(uniqueKeysWithValues: hits.map { ($0.id, $0.squaredL2Distance) }) == ["a": 0.2, "b": 0.4])
    }

    @Test("each mode ranks documents best first, ties by id, up to the limit")
    func modes() {
        let dense = DocumentRanking.bestChunks(Self.dense, documentOf: Self.documentOf)
        let keyword: [Trove.KeywordHit<String>] = [.init(id: "c", bm25: -8), .init(id: "b", bm25: -4), .init(id: "d", bm25: -4)]
        #expect(DocumentRanking.documents(dense: dense, keyword: keyword, mode: .dense).map(\.id) == ["a", "b"])
        #expect(DocumentRanking.documents(dense: dense, keyword: keyword, mode: .keyword).map(\.id) == ["c", "b", "d"])
        #expect(DocumentRanking.documents(dense: dense, keyword: keyword, mode: .keyword, limit: 1).map(\.id) == ["c"])
        // Min-max, equal weights: a = 0.5·1, b = 0.5·0 + 0.5·0, c = 0.5·1, d = 0.
        let hybrid = DocumentRanking.documents(dense: dense, keyword: keyword, mode: .hybrid)
        #expect(hybrid.map(\.id) == ["a", "c", "b", "d"])
        #expect(hybrid.map(\.score) == [0.5, 0.5, 0, 0])
    }
}
