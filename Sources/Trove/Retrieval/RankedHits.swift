import Foundation

/// One result of the dense (vector) retriever: the squared L2 distance between the query vector and
/// the item's vector, SMALLER is better. For unit vectors cosine = 1 − d²/2, so d² ∈ [0, 4].
public struct DenseHit<ID: Hashable & Comparable & Sendable>: Sendable, Equatable {
    /// The item (chunk id, or document id when evaluating per document).
    public let id: ID
    /// ‖q − v‖², as the flat L2 index returns it.
    public let squaredL2Distance: Float

    /// Plain memberwise initialiser.
    public init(id: ID, squaredL2Distance: Float) {
        self.id = id
        self.squaredL2Distance = squaredL2Distance
    }

    /// A similarity where LARGER is better: cosine for unit vectors, 1 − d²/2 ∈ [−1, 1].
    public var similarity: Double { 1 - Double(squaredL2Distance) / 2 }
}

/// One result of the keyword retriever: SQLite FTS5's `bm25()` value, which is the Okapi BM25 score
/// NEGATED so that `ORDER BY bm25(t)` ranks best first. SMALLER (more negative) is better.
/// (https://sqlite.org/fts5.html#the_bm25_function)
public struct KeywordHit<ID: Hashable & Comparable & Sendable>: Sendable, Equatable {
    /// The item (chunk id, or document id when evaluating per document).
    public let id: ID
    /// FTS5 `bm25()` as returned by SQLite: ≤ 0 in practice, more negative = more relevant.
    public let bm25: Double

    /// Plain memberwise initialiser.
    public init(id: ID, bm25: Double) {
        self.id = id
        self.bm25 = bm25
    }

    /// The Okapi BM25 score, LARGER is better: −bm25().
    public var relevance: Double { -bm25 }
}

/// One fused result: its fused score (larger is better) and where each retriever had put it.
public struct FusedHit<ID: Hashable & Comparable & Sendable>: Sendable, Equatable {
    /// The item.
    public let id: ID
    /// The fused score; larger is better. Its scale depends on the method (RRF ≤ 2/(k+1), min-max ≤ Σ weights).
    public let score: Double
    /// 1-based rank in the dense list, nil when the dense retriever did not return it.
    public let denseRank: Int?
    /// 1-based rank in the keyword list, nil when the keyword retriever did not return it.
    public let keywordRank: Int?

    /// Plain memberwise initialiser.
    public init(id: ID, score: Double, denseRank: Int?, keywordRank: Int?) {
        self.id = id
        self.score = score
        self.denseRank = denseRank
        self.keywordRank = keywordRank
    }
}
