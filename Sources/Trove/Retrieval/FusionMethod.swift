import Foundation

/// Which fusion `hybrid` search uses, with its one parameter; what a CLI option or a config names.
///
///     let fused = RankFusion.fuse(dense: denseHits, keyword: keywordHits, method: .default, limit: 50)
public enum FusionMethod: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Reciprocal-rank fusion, score = Σ 1/(k + rank).
    case reciprocalRank(k: Double)
    /// Convex combination of min-max normalised scores; the keyword weight is 1 − denseWeight.
    case minMax(denseWeight: Double)

    /// The default for hybrid search. See Benchmarks/quality/README.md for how it was chosen
    /// (SciFact train split only, then checked on test).
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
