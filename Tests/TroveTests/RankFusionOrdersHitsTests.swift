import Foundation
import Testing
@testable import Trove

/// Fusion against hand-computed scores, with the sign conventions of each retriever checked:
/// dense = squared L2 (smaller better), keyword = FTS5 bm25() (more negative better).
struct RankFusionOrdersHitsTests {
    // Dense, best first: a (d² 0.25), b (0.75), c (1.25) → similarities 1 − d²/2 = 0.875, 0.625, 0.375
    // (values exact in Float, so that hand-computed ties stay ties).
    static let dense = [DenseHit(id: "a", squaredL2Distance: 0.25), DenseHit(id: "b", squaredL2Distance: 0.75),
                        DenseHit(id: "c", squaredL2Distance: 1.25)]
    // Keyword, best first: c (bm25 −12), d (−8), a (−4)  → BM25 12, 8, 4
    static let keyword = [KeywordHit(id: "c", bm25: -12), KeywordHit(id: "d", bm25: -8), KeywordHit(id: "a", bm25: -4)]

    @Test("reciprocal-rank fusion: 1/(k + rank) summed over both lists")
    func reciprocalRank() {
        // k = 60. a: 1/61 + 1/63 = 0.0322664, c: 1/63 + 1/61 (same sum, same terms) → tie, a < c by id;
        // b: 1/62 = 0.0161290, d: 1/62 → tie, b < d.
        let fused = RankFusion.reciprocalRank(dense: Self.dense, keyword: Self.keyword, k: 60)
        #expect(fused.map(\.id) == ["a", "c", "b", "d"])
        #expect(abs(fused[0].score - (1.0 / 61 + 1.0 / 63)) < 1e-15)
        #expect(fused[0].score == fused[1].score)
        #expect(abs(fused[2].score - 1.0 / 62) < 1e-15)
        #expect(fused[0].denseRank == 1 && fused[0].keywordRank == 3)
        #expect(fused[3].denseRank == nil && fused[3].keywordRank == 2)
    }

    @Test("reciprocal-rank fusion: k changes the balance between one top rank and two middling ones")
    func reciprocalRankSmallK() {
        // dense: x, y, z; keyword: w, y, x.  k = 1: x = 1/2 + 1/4 = 0.75, y = 1/3 + 1/3 = 0.667, w = 1/2
        let dense = ["x", "y", "z"].enumerated().map { DenseHit(id: $1, squaredL2Distance: Float($0)) }
        let keyword = ["w", "y", "x"].enumerated().map { KeywordHit(id: $1, bm25: Double($0) - 10) }
        #expect(RankFusion.reciprocalRank(dense: dense, keyword: keyword, k: 1).map(\.id) == ["x", "y", "w", "z"])
    }

    @Test("min-max fusion: normalised similarity and normalised −bm25, equal weights")
    func minMaxEqualWeights() {
        // norm dense: a 1, b 0.5, c 0; norm keyword: c 1, d 0.5, a 0.
        // 0.5/0.5: a = 0.5, c = 0.5 (tie → a first), b = 0.25, d = 0.25 (tie → b first).
        let fused = RankFusion.minMax(dense: Self.dense, keyword: Self.keyword)
        #expect(fused.map(\.id) == ["a", "c", "b", "d"])
        #expect(fused.map(\.score) == [0.5, 0.5, 0.25, 0.25])
    }

    @Test("min-max fusion: weights, and bm25 read with the right sign")
    func minMaxWeights() {
        // 0.3 dense / 0.7 keyword: a = 0.3, b = 0.15, c = 0.7, d = 0.35 → c, d, a, b.
        // Were bm25 taken as "larger is better", c would get keyword 0 and a keyword 1: a would lead.
        let fused = RankFusion.minMax(dense: Self.dense, keyword: Self.keyword, denseWeight: 0.3, keywordWeight: 0.7)
        #expect(fused.map(\.id) == ["c", "d", "a", "b"])
        #expect(abs(fused[0].score - 0.7) < 1e-9)
        #expect(abs(fused[3].score - 0.15) < 1e-9)
    }

    @Test("input order does not matter; limit keeps the best")
    func inputOrderAndLimit() {
        let shuffledDense = [Self.dense[2], Self.dense[0], Self.dense[1]]
        let shuffledKeyword = [Self.keyword[1], Self.keyword[2], Self.keyword[0]]
        #expect(RankFusion.reciprocalRank(dense: shuffledDense, keyword: shuffledKeyword, limit: 2).map(\.id) == ["a", "c"])
        #expect(RankFusion.minMax(dense: shuffledDense, keyword: shuffledKeyword, limit: 3).map(\.id) == ["a", "c", "b"])
    }

    @Test("edge cases: one list empty, one-item lists, integer ids tie-broken ascending")
    func edgeCases() {
        let onlyKeyword = RankFusion.minMax(dense: [DenseHit<Int64>](), keyword: [KeywordHit(id: 7, bm25: -1)])
        #expect(onlyKeyword == [FusedHit(id: 7, score: 0.5, denseRank: nil, keywordRank: 1)])
        let tied = RankFusion.reciprocalRank(dense: [DenseHit<Int64>(id: 9, squaredL2Distance: 0.1)],
                                             keyword: [KeywordHit<Int64>(id: 3, bm25: -2)])
        #expect(tied.map(\.id) == [3, 9])
        #expect(RankFusion.reciprocalRank(dense: [DenseHit<Int64>](), keyword: [KeywordHit<Int64>]()).isEmpty)
    }
}

extension RankFusionOrdersHitsTests {
    @Test("fuse(method:) dispatches to the named method with its parameter")
    func fuseDispatches() {
        #expect(RankFusion.fuse(dense: Self.dense, keyword: Self.keyword, method: .reciprocalRank(k: 1)).map(\.id)
                == RankFusion.reciprocalRank(dense: Self.dense, keyword: Self.keyword, k: 1).map(\.id))
        // min-max with dense weight 0.3 → c, d, a, b (see minMaxWeights).
        #expect(RankFusion.fuse(dense: Self.dense, keyword: Self.keyword, method: .minMax(denseWeight: 0.3)).map(\.id)
                == ["c", "d", "a", "b"])
    }
}
