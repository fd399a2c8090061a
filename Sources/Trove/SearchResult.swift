/// One passage found by ``TroveIndex/search(_:k:mode:)``; the JSON shape of `trove search --json`.
public struct SearchResult: Codable, Sendable, Equatable {
    /// 1 for the best match.
    public var rank: Int
    public var chunkID: Int64
    /// The document's path (`file.jsonl#id` for a JSONL record).
    public var path: String
    public var title: String?
    /// The passage text: exactly the document's text from `start` to `end`.
    public var text: String
    /// Squared L2 distance between the query and passage embeddings (smaller is closer), in every
    /// mode (for a keyword-only hit it is computed from the stored vector).
    public var distance: Float
    /// Cosine similarity, `1 − distance / 2` for unit vectors.
    public var cosine: Float
    /// Code-point offsets of the passage in the document's extracted text.
    public var start: Int
    public var end: Int
    /// 1-based page for PDF.
    public var page: Int?
    /// "Title > Section" for Markdown and HTML.
    public var headingPath: String?
    /// 1-based lines of the file the passage spans (text, Markdown and code).
    public var lineStart: Int?
    public var lineEnd: Int?
    /// The HTML anchor (`id`) in force where the passage starts.
    public var anchor: String?
    /// The value this passage was ranked by, larger is better: the cosine (dense), its document's
    /// −bm25() over the whole text (keyword) or its document's fused score (hybrid, see
    /// ``FusionMethod/default``). Results are ordered by it, a document's passages together.
    public var score: Double?
    /// BM25 relevance (−bm25() of SQLite FTS5, larger is better) when the passage was among the
    /// keyword candidates; nil otherwise.
    public var keywordScore: Double?

    enum CodingKeys: String, CodingKey {
        case rank, path, title, text, distance, cosine, start, end, page, score, anchor
        case lineStart = "line_start"
        case lineEnd = "line_end"
        case chunkID = "chunk_id"
        case headingPath = "heading_path"
        case keywordScore = "keyword_score"
    }
}

/// A query and its results: the JSON of `trove search --json` and of the server's `POST /v1/search`.
public struct SearchOutput: Codable, Sendable, Equatable {
    public var query: String
    public var mode: SearchMode
    public var results: [SearchResult]

    public init(query: String, mode: SearchMode, results: [SearchResult]) {
        self.query = query
        self.mode = mode
        self.results = results
    }
}
