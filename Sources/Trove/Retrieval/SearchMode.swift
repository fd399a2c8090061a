/// Which retriever a search uses; `trove search --mode`, `trove ask --mode`, `trove eval --mode`.
///
/// - `dense`: exact nearest chunks by squared L2 distance between embeddings; a document scores its
///   best chunk's cosine.
/// - `keyword`: SQLite FTS5 with BM25 over each document's whole text (`documents_fts`; score =
///   −bm25(), larger is better); passages are the document's best matching chunks.
/// - `hybrid`: the two document lists fused with ``FusionMethod/default`` (score = the fused score;
///   ``DocumentRanking``).
///
/// Hybrid is the default: on SciFact test it beats both halves (Benchmarks/quality/README.md),
/// and it also wins on the second set checked there (questions about Trove's demo corpus).
public enum SearchMode: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case dense, keyword, hybrid

    /// What `search(_:k:)` uses when no mode is given.
    public static let `default` = SearchMode.hybrid

    public var description: String { rawValue }
}
