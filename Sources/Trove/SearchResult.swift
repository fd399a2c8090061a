/// One passage found by ``TroveIndex/search(_:k:mode:weights:filter:explain:queryVector:)``; the JSON shape of `trove search --json`.
public struct SearchResult: Codable, Sendable, Equatable {
    /// 1 for the best match.
    public var rank: Int
    public var chunkID: Int64
    /// The document's path (`file.jsonl#id` for a JSONL record).
    public var path: String
    public var title: String?
    /// The passage text: exactly the document's text from `start` to `end`.
    public var text: String
    /// Squared L2 distance between the query and passage embeddings (smaller is closer); nil in
    /// keyword mode, which does not embed the query.
    public var distance: Float?
    /// Cosine similarity, `1 − distance / 2` for unit vectors; nil in keyword mode.
    public var cosine: Float?
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
    /// The value this passage was ranked by, larger is better (``PassageRanking``): the cosine
    /// (dense), the keyword evidence (keyword) or the two weighted (hybrid). Results are in its order.
    public var score: Double
    /// Every signal behind `score` (`--explain`); nil unless asked for.
    public var explanation: RankingSignals?

    enum CodingKeys: String, CodingKey {
        case rank, path, title, text, distance, cosine, start, end, page, score, anchor
        case lineStart = "line_start"
        case lineEnd = "line_end"
        case chunkID = "chunk_id"
        case headingPath = "heading_path"
        case explanation = "explain"
    }
}

/// A query and its results: the JSON of `trove search --json` and of the server's `POST /v1/search`.
public struct SearchOutput: Codable, Sendable, Equatable {
    public var query: String
    public var mode: SearchMode
    /// The filter the search ran with; nil when none.
    public var filter: SearchFilter?
    public var results: [SearchResult]

    public init(query: String, mode: SearchMode, filter: SearchFilter? = nil, results: [SearchResult]) {
        self.query = query
        self.mode = mode
        self.filter = filter
        self.results = results
    }
}
