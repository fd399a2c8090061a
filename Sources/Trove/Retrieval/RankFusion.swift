import Foundation

/// Fusion of the dense and the keyword result lists of one query into one ranking.
///
/// Both methods see only what the two retrievers returned (their top-N lists, ideally of the same
/// depth, e.g. 100): an item missing from one list contributes nothing from that list. Each input
/// list is first put in its own best-first order (dense: ascending d²; keyword: ascending bm25(),
/// i.e. most negative first; ties by ascending id), so callers may pass them in any order. Output is
/// sorted by fused score descending, ties broken by ascending id, so a run is reproducible.
///
///     let fused = RankFusion.reciprocalRank(dense: denseHits, keyword: keywordHits, k: 60, limit: 10)
public enum RankFusion {
    /// Reciprocal-rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009):
    /// score(d) = Σ_lists 1 / (k + rank_list(d)), rank 1-based; k = 60 in the paper.
    /// Scores are ignored, only ranks count, so the two scales never need calibrating.
    public static func reciprocalRank<ID>(dense: [DenseHit<ID>], keyword: [KeywordHit<ID>],
                                          k: Double = 60, limit: Int? = nil) -> [FusedHit<ID>] {
        let denseRanks = ranks(of: orderedDense(dense).map(\.id))
        let keywordRanks = ranks(of: orderedKeyword(keyword).map(\.id))
        return fuse(denseRanks: denseRanks, keywordRanks: keywordRanks, limit: limit) { id in
            var score = 0.0                                  // dense term first, then keyword: a fixed order
            if let rank = denseRanks[id] { score += 1 / (k + Double(rank)) }
            if let rank = keywordRanks[id] { score += 1 / (k + Double(rank)) }
            return score
        }
    }

    /// Convex combination of min-max normalised scores:
    /// score(d) = denseWeight · norm(1 − d²/2) + keywordWeight · norm(−bm25()),
    /// norm(x) = (x − min) / (max − min) over that retriever's list (1 when all its scores are equal);
    /// an item absent from a list gets 0 for that list (it scored below the list's minimum).
    public static func minMax<ID>(dense: [DenseHit<ID>], keyword: [KeywordHit<ID>],
                                  denseWeight: Double = 0.5, keywordWeight: Double = 0.5,
                                  limit: Int? = nil) -> [FusedHit<ID>] {
        let denseList = orderedDense(dense), keywordList = orderedKeyword(keyword)
        let denseNorm = minMaxNormalised(denseList.map { ($0.id, $0.similarity) })
        let keywordNorm = minMaxNormalised(keywordList.map { ($0.id, $0.relevance) })
        return fuse(denseRanks: ranks(of: denseList.map(\.id)), keywordRanks: ranks(of: keywordList.map(\.id)),
                    limit: limit) { id in
            denseWeight * (denseNorm[id] ?? 0) + keywordWeight * (keywordNorm[id] ?? 0)
        }
    }

    // MARK: - Shared steps

    /// Dense hits best first: ascending squared distance, ties by id; a repeated id keeps its best entry.
    static func orderedDense<ID>(_ hits: [DenseHit<ID>]) -> [DenseHit<ID>] {
        unique(hits.sorted { ($0.squaredL2Distance, $0.id) < ($1.squaredL2Distance, $1.id) }, id: \.id)
    }

    /// Keyword hits best first: ascending bm25() (most negative first), ties by id.
    static func orderedKeyword<ID>(_ hits: [KeywordHit<ID>]) -> [KeywordHit<ID>] {
        unique(hits.sorted { ($0.bm25, $0.id) < ($1.bm25, $1.id) }, id: \.id)
    }

    static func unique<T, ID: Hashable>(_ items: [T], id: (T) -> ID) -> [T] {
        var seen = Set<ID>()
        return items.filter { seen.insert(id($0)).inserted }
    }

    /// id → 1-based rank.
    static func ranks<ID>(of ids: [ID]) -> [ID: Int] {
        Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0 + 1) })
    }

    /// id → (x − min) / (max − min); every value 1 when max == min (a one-item list is its own best).
    static func minMaxNormalised<ID>(_ scores: [(ID, Double)]) -> [ID: Double] {
        guard let low = scores.map(\.1).min(), let high = scores.map(\.1).max() else { return [:] }
        let range = high - low
        return Dictionary(uniqueKeysWithValues: scores.map { ($0.0, range > 0 ? ($0.1 - low) / range : 1) })
    }

    /// Scores the union of both lists, sorts by score descending then id ascending, keeps `limit`.
    static func fuse<ID>(denseRanks: [ID: Int], keywordRanks: [ID: Int], limit: Int?,
                         score: (ID) -> Double) -> [FusedHit<ID>] {
        let ids = Set(denseRanks.keys).union(keywordRanks.keys)
        let fused = ids.map { FusedHit(id: $0, score: score($0), denseRank: denseRanks[$0], keywordRank: keywordRanks[$0]) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        guard let limit else { return fused }
        return Array(fused.prefix(max(0, limit)))
    }
}
