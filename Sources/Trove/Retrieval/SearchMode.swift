/// Which retriever a search uses; `trove search --mode`, `trove ask --mode`, `trove eval --mode`.
///
/// - `dense`: exact nearest passages by squared L2 distance between embeddings; score = cosine.
/// - `keyword`: SQLite FTS5 BM25 over each passage (with its heading context) and over each
///   document's whole text, each as a fraction of the most the query could score; no embedding.
/// - `hybrid`: the two weighted (``RankingWeights``), every passage scored on its own
///   (``PassageRanking``).
///
/// Hybrid is the default: on SciFact it beats both halves, and on the folder sets of
/// Benchmarks/retrieval it is first or within 0.01 of the best (README there).
public enum SearchMode: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case dense, keyword, hybrid

    /// What `search(_:k:)` uses when no mode is given.
    public static let `default` = SearchMode.hybrid

    public var description: String { rawValue }
}
