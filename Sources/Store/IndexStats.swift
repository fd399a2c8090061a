import Foundation
import GRDB

/// Counts and sizes of an index, for `trove stats`.
public struct IndexStats: Sendable, Equatable, Codable {
    /// The index file, or `:memory:`.
    public var location: String
    /// Rows of `documents` (a JSONL file counts once per record).
    public var documents: Int
    /// Rows of `chunks`.
    public var chunks: Int
    /// Equals `chunks` in a consistent index (every chunk is written with its vector).
    public var vectors: Int
    /// `nil` until the first ingest records the encoder.
    public var encoder: EncoderIdentity?
    /// `metadata.schema_version`: how many migrations have run.
    public var schemaVersion: Int
    /// Bytes on disk: the database file plus its write-ahead log (pages in use, in memory).
    public var fileBytes: Int64

    /// Stats as gathered by ``IndexDatabase/stats()``.
    public init(location: String, documents: Int, chunks: Int, vectors: Int, encoder: EncoderIdentity?,
                schemaVersion: Int, fileBytes: Int64) {
        self.location = location
        self.documents = documents
        self.chunks = chunks
        self.vectors = vectors
        self.encoder = encoder
        self.schemaVersion = schemaVersion
        self.fileBytes = fileBytes
    }
}

extension IndexDatabase {
    /// Counts of documents, chunks and vectors, the encoder, and the size on disk (one snapshot).
    public func stats() throws -> IndexStats {
        var stats = try read { db in
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            let version = try String.fetchOne(db, sql: "SELECT value FROM metadata WHERE key = 'schema_version'")
            return IndexStats(
                location: location,
                documents: try Int.fetchOne(db, sql: "SELECT count(*) FROM documents") ?? 0,
                chunks: try Int.fetchOne(db, sql: "SELECT count(*) FROM chunks") ?? 0,
                // The v4 counters (kept by triggers) instead of count(*), which reads every vector
                // (1.5 GB and 2 GB of resident pages at a million chunks).
                vectors: try Int.fetchOne(db, sql: "SELECT insertions - removals FROM vector_set WHERE id = 1")
                    ?? Int.fetchOne(db, sql: "SELECT count(*) FROM vectors") ?? 0,
                encoder: try encoder(db),
                schemaVersion: version.flatMap { Int($0) } ?? 0,
                fileBytes: pages * pageSize)
        }
        if location != ":memory:" {
            stats.fileBytes = Self.fileSize(location) + Self.fileSize(location + "-wal")
        }
        return stats
    }

    /// Size of a file in bytes, 0 if it does not exist.
    private static func fileSize(_ path: String) -> Int64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
