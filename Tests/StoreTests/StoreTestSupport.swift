import Foundation
import Testing
@testable import Store
import GRDB
import TroveTestSupport

/// Where a test index lives: every behaviour is checked both in memory and on a WAL file.
enum IndexKind: String, CaseIterable, CustomTestStringConvertible {
    case memory, walFile
    var testDescription: String { rawValue }
}

/// An index and the temporary folder that holds its file (kept alive as long as the index).
struct TestIndex {
    let database: IndexDatabase
    let folder: TemporaryFolder

    init(_ kind: IndexKind, identity: String = "fake-encoder", dimension: Int? = 4) throws {
        folder = try TemporaryFolder("trove-store")
        switch kind {
        case .memory: database = try IndexDatabase.inMemory()
        case .walFile: database = try IndexDatabase.open(path: folder.url.appendingPathComponent("index.trove").path)
        }
        if let dimension { try database.ensureEncoder(identity: identity, dimension: dimension) }
    }
}

/// A document and chunks made from words, with vectors [ordinal, 1, 2, 3] (dimension 4).
struct SampleDocument {
    var document: Document
    var chunks: [Chunk]
    var vectors: [[Float]]

    init(path: String, texts: [String], hash: String = "hash", dimension: Int = 4) {
        document = Document(path: path, contentHash: hash, size: 100, mtime: 1_700_000_000, format: "text",
                            title: (path as NSString).lastPathComponent)
        var offset = 0
        chunks = texts.enumerated().map { ordinal, text in
            defer { offset += text.unicodeScalars.count + 1 }
            return Chunk(ordinal: ordinal, text: text, start: offset, end: offset + text.unicodeScalars.count,
                         tokenCount: text.split(separator: " ").count)
        }
        vectors = texts.indices.map { ordinal in (0..<dimension).map { Float(ordinal * 10 + $0) } }
    }

    @discardableResult
    func store(in database: IndexDatabase) throws -> Document {
        try database.replaceDocument(document, chunks: chunks, vectors: vectors)
    }
}

extension IndexDatabase {
    /// Row ids FTS5 finds for a raw MATCH expression (bypassing KeywordQuery).
    func ftsRowIDs(_ match: String) throws -> [Int64] {
        try read { db in try Int64.fetchAll(db, sql: "SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rowid", arguments: [match]) }
    }

    /// `count(*)` of a table.
    func count(_ table: String) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1 }
    }

    /// Runs FTS5's own consistency check of `chunks_fts` against `chunks` (throws if they differ).
    func checkFullTextIndex() throws {
        try write { db in try db.execute(sql: "INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)") }
    }
}

/// Runs `body` with a fresh index of `kind`, keeping its temporary folder until `body` returns.
func withIndex<T>(_ kind: IndexKind, identity: String = "fake-encoder", dimension: Int? = 4,
                  _ body: (IndexDatabase) throws -> T) throws -> T {
    let index = try TestIndex(kind, identity: identity, dimension: dimension)
    return try withExtendedLifetime(index) { try body(index.database) }
}
