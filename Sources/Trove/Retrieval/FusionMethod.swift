import Foundation

/// Which fusion `hybrid` search uses, with its one parameter; what a CLI option or a config names.
///
///     let fused = RankFusion.fuse(dense: denseHits, keyword: keywordHits, method: .default, limit: 50)
public enum FusionMethod: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Reciprocal-rank fusion, score = Σ 1/(k + rank).
    case reciprocalRank(k: Double)
    /// Convex combination of min-max normalised scores; the keyword weight is 1 − denseWeight.
    case minMax(denseWeight: Double)

    /// The default for hybrid search: min-max with equal weights. On SciFact train (809 queries) the
    /// best dense weight is 0.45 (nDCG@10 0.7377) against 0.7360 at 0.5, a flat optimum; on test it gives
    /// 0.731 (dense 0.645, keyword 0.687, RRF k=60 0.716). Benchmarks/quality/README.md has the table.
    public static let `default` = FusionMethod.minMax(denseWeight: 0.5)

    public var description: String {
        switch self {
        case .reciprocalRank(let k): return "rrf(k=\(k))"
        case .minMax(let weight): return "min-max(dense=\(weight), keyword=\(1 - weight))"
        }
    }
}

extension RankFusion {
    /// Fuses with `method`; see ``reciprocalRank(dense:keyword:k:limit:)`` and ``minMax(dense:keyword:denseWeight:keywordWeight:limit:)``.
    public static func fuse<ID>(dense: [DenseHit<ID>], keyword: [KeywordHit<ID>], method: FusionMethod = .default,
                                limit: Int? = nil) -> [FusedHit<ID>] {
        switch method {
        case .reciprocalRank(let k):
            return reciprocalRank(dense: dense, keyword: keyword, k: k, limit: limit)
        case .minMax(let weight):
            return minMax(dense: dense, keyword: keyword, denseWeight: weight, keywordWeight: 1 - weight, limit: limit)
        }
    }
}
