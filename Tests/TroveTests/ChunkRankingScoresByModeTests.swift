import Testing
@testable import Trove

/// The scoring step behind search and eval: which list each mode reads, and that hybrid keeps
/// chunks found by only one half.
struct ChunkRankingScoresByModeTests {
    // Chunks 1, 2 found by the dense half only, 3 by both, 4 by the keyword half only.
    static let dense: [DenseHit<Int64>] = [.init(id: 1, squaredL2Distance: 0.2), .init(id: 2, squaredL2Distance: 0.9),
                                           .init(id: 3, squaredL2Distance: 0.5)]
    static let keyword: [Trove.KeywordHit<Int64>] = [.init(id: 4, bm25: -9), .init(id: 3, bm25: -5)]

    @Test("dense scores cosines, keyword scores −bm25(), each ignoring the other list")
    func singleModes() {
        let dense = ChunkRanking.scores(dense: Self.dense, keyword: Self.keyword, mode: .dense)
        #expect(dense.map(\.id) == [1, 3, 2])
        #expect(abs(dense[0].score - 0.9) < 1e-6)                     // 1 − 0.2/2
        let keyword = ChunkRanking.scores(dense: Self.dense, keyword: Self.keyword, mode: .keyword)
        #expect(keyword.map(\.id) == [4, 3])
        #expect(keyword.map(\.score) == [9, 5])
    }

    @Test("hybrid scores the union with min-max fusion at equal weights")
    func hybrid() {
        let fused = ChunkRanking.scores(dense: Self.dense, keyword: Self.keyword, mode: .hybrid)
        #expect(Set(fused.map(\.id)) == [1, 2, 3, 4])
        let score = Dictionary(uniqueKeysWithValues: fused.map { ($0.id, $0.score) })
        // dense norm: 1 → 1, 3 → (0.75 − 0.55)/(0.9 − 0.55), 2 → 0; keyword norm: 4 → 1, 3 → 0.
        #expect(abs(score[1]! - 0.5) < 1e-9)
        #expect(abs(score[4]! - 0.5) < 1e-9)
        #expect(abs(score[3]! - 0.5 * (0.2 / 0.35)) < 1e-6)
        #expect(score[2]! == 0)
    }

    @Test("documents are scored by their best chunk; chunks of unknown documents are dropped")
    func documents() {
        let scores: [(id: Int64, score: Double)] = [(1, 0.4), (2, 0.9), (3, 0.5), (4, 0.8)]
        let documents = ChunkRanking.documents(scores, documentOf: [1: "a", 2: "a", 3: "b"], passagesPerDocument: 1)
        #expect(documents.map(\.document) == ["a", "b"])
        #expect(documents.map(\.score) == [0.9, 0.5])
    }

    @Test("each retriever returns at least 100 candidates, 4 per requested result beyond that")
    func depth() {
        #expect(ChunkRanking.candidateDepth(for: 5) == 100)
        #expect(ChunkRanking.candidateDepth(for: 100) == 400)
    }
}
