/// One passage found by ``TroveIndex/search(_:k:)``; the JSON shape of `trove search --json`.
public struct SearchResult: Codable, Sendable, Equatable {
    /// 1 for the best match.
    public var rank: Int
    public var chunkID: Int64
    /// The document's path (`file.jsonl#id` for a JSONL record).
    public var path: String
    public var title: String?
    /// The passage text: exactly the document's text from `start` to `end`.
    public var text: String
    /// Squared L2 distance between the query and passage embeddings (smaller is closer).
    public var distance: Float
    /// Cosine similarity, `1 − distance / 2` for unit vectors.
    public var cosine: Float
    /// Code-point offsets of the passage in the document's extracted text.
    public var start: Int
    public var end: Int
    /// 1-based page for PDF.
    public var page: Int?
    /// "Title > Section" for Markdown.
    public var headingPath: String?

    enum CodingKeys: String, CodingKey {
        case rank, path, title, text, distance, cosine, start, end, page
        case chunkID = "chunk_id"
        case headingPath = "heading_path"
    }
}
