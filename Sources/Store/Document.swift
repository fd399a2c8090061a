import Foundation
import GRDB

/// A row of `documents`: one document of the index and the file state it was read from.
///
/// `path` identifies the document (an absolute, standardised file path, or `<file>#<id>` for one
/// record of a JSONL corpus); `filePath` is the file it came from (equal to `path` except for JSONL
/// records), used to group a file's documents and to tell whether that file still exists.
public struct Document: Sendable, Equatable, Codable {
    /// Row id; `nil` for a document not stored yet.
    public var id: Int64?
    /// Unique key: the absolute file path, or `<file path>#<_id>` for a JSONL record.
    public var path: String
    /// The file the document was read from (= `path` except for JSONL records).
    public var filePath: String
    /// Lower-case hex SHA-256: of the file's bytes, or for a JSONL record of its extracted text.
    public var contentHash: String
    /// File size in bytes when read.
    public var size: Int64
    /// File modification time when read, seconds since 1970.
    public var mtime: Double
    /// `DocumentFormat` raw value (`text`, `markdown`, `html`, `pdf`, `code`, `jsonl`, `docx`, `odt`, `pptx`, `epub`).
    public var format: String
    /// The document's title (Markdown/HTML title, JSONL title, or the file name).
    public var title: String?
    /// When this version was written, seconds since 1970.
    public var ingestedAt: Double
    /// The version of text extraction that produced the chunks (`DocumentLoader.extractionVersion`):
    /// an ingest re-reads a document extracted by an older one, even when its file is unchanged.
    public var extractionVersion: Int
    /// The collection the document was last ingested into (`--collection`, by default the name of
    /// the folder ingested); `nil` for a document written before collections existed.
    public var collection: String?

    /// A document to store (`id` is assigned by ``IndexDatabase/replaceDocument(_:chunks:vectors:)``).
    public init(id: Int64? = nil, path: String, filePath: String? = nil, contentHash: String, size: Int64,
                mtime: Double, format: String, title: String? = nil, ingestedAt: Double = Date().timeIntervalSince1970,
                extractionVersion: Int = 1, collection: String? = nil) {
        self.id = id
        self.path = path
        self.filePath = filePath ?? path
        self.contentHash = contentHash
        self.size = size
        self.mtime = mtime
        self.format = format
        self.title = title
        self.ingestedAt = ingestedAt
        self.extractionVersion = extractionVersion
        self.collection = collection
    }

    /// The columns in the order ``init(row:)`` reads them.
    static let columns = "id, path, file_path, content_hash, size, mtime, format, title, ingested_at, extraction_version, collection"

    /// Reads a row selected with ``columns``.
    init(row: Row) {
        self.init(id: row[0], path: row[1], filePath: row[2], contentHash: row[3], size: row[4],
                  mtime: row[5], format: row[6], title: row[7], ingestedAt: row[8], extractionVersion: row[9],
                  collection: row[10])
    }
}
