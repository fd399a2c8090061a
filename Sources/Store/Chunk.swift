import GRDB

/// A row of `chunks`: a piece of a document's text that was embedded as one vector.
///
/// `start..<end` are Unicode code-point offsets into the document's extracted text.
public struct Chunk: Sendable, Equatable, Codable {
    /// Row id; `nil` for a chunk not stored yet. Never reused once deleted.
    public var id: Int64?
    /// The owning document's row id; `nil` before storing.
    public var documentID: Int64?
    /// 0-based position in its document.
    public var ordinal: Int
    /// Exactly the document's text in `start..<end`.
    public var text: String
    /// First code point of the passage in the document's text.
    public var start: Int
    /// One past the last code point.
    public var end: Int
    /// 1-based page, for PDF.
    public var page: Int?
    /// "Title > Section > Subsection", for Markdown and HTML.
    public var headingPath: String?
    /// Word pieces of `text`, without [CLS]/[SEP].
    public var tokenCount: Int
    /// 1-based first and last line of the file the chunk spans (text, Markdown, code).
    public var lineStart: Int?
    public var lineEnd: Int?
    /// The HTML anchor (`id`) in force where the chunk starts.
    public var anchor: String?
    /// What was read before `text` when it was embedded, and what BM25 indexes beside it: "Title >
    /// Section" (nil when the chunk starts with it).
    public var context: String?

    /// A chunk to store (ids are assigned by ``IndexDatabase/replaceDocument(_:chunks:vectors:)``).
    public init(id: Int64? = nil, documentID: Int64? = nil, ordinal: Int, text: String, start: Int, end: Int,
                page: Int? = nil, headingPath: String? = nil, tokenCount: Int,
                lineStart: Int? = nil, lineEnd: Int? = nil, anchor: String? = nil, context: String? = nil) {
        self.id = id
        self.documentID = documentID
        self.ordinal = ordinal
        self.text = text
        self.start = start
        self.end = end
        self.page = page
        self.headingPath = headingPath
        self.tokenCount = tokenCount
        self.lineStart = lineStart
        self.lineEnd = lineEnd
        self.anchor = anchor
        self.context = context
    }

    /// The columns (of `chunks c`) in the order ``init(row:)`` reads them.
    static let columns = #"c.id, c.document_id, c.ordinal, c.text, c.start, c."end", c.page, c.heading_path, c.token_count, c.line_start, c.line_end, c.anchor, c.context"#

    /// Reads a row selected with ``columns`` (starting at column 0).
    init(row: Row) {
        self.init(id: row[0], documentID: row[1], ordinal: row[2], text: row[3], start: row[4], end: row[5],
                  page: row[6], headingPath: row[7], tokenCount: row[8],
                  lineStart: row[9], lineEnd: row[10], anchor: row[11], context: row[12])
    }
}

/// A stored chunk with what a search result shows about its document.
public struct StoredChunk: Sendable, Equatable, Codable {
    /// The chunk's row id (the id ``IndexDatabase/loadVectors()`` and keyword search return).
    public var id: Int64
    /// The chunk row.
    public var chunk: Chunk
    /// Its document's `path` (a file path, or `<file>#<_id>` for a JSONL record).
    public var documentPath: String
    /// Its document's title, if it has one.
    public var documentTitle: String?
    /// `DocumentFormat` raw value.
    public var documentFormat: String

    /// A chunk as read back with its document's path, title and format.
    public init(id: Int64, chunk: Chunk, documentPath: String, documentTitle: String?, documentFormat: String) {
        self.id = id
        self.chunk = chunk
        self.documentPath = documentPath
        self.documentTitle = documentTitle
        self.documentFormat = documentFormat
    }
}
