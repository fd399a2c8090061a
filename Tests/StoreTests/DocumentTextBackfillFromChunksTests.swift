import Foundation
import Testing
@testable import Store
import GRDB
import TroveTestSupport

/// Migration v2 fills `documents_fts` of an existing index from its chunks, whose code-point spans
/// overlap: the rebuilt text holds each word once, in order, and a gap becomes one space.
@Suite("Document text from chunks")
struct DocumentTextBackfillFromChunksTests {
    /// "🐧" and "É" are one code point each but several UTF-8 bytes (and "🐧" two UTF-16 units).
    static let text = "Éléphants never forget. Walruses eat clams.\n\nPenguins 🐧 swim far. Seals sleep."

    /// The code points `start..<end` of `text`.
    static func slice(_ start: Int, _ end: Int) -> (text: String, start: Int, end: Int) {
        let scalars = Array(text.unicodeScalars)[start..<end]
        var piece = ""
        piece.unicodeScalars.append(contentsOf: scalars)
        return (piece, start, end)
    }

    @Test("overlapping, contained, unordered and gapped chunks rebuild the text")
    func joined() {
        // 0..<43 "Éléphants … clams.", 24..<65 "Walruses … far.", 45..<65 inside the previous one.
        let overlapping = [Self.slice(24, 65), Self.slice(0, 43), Self.slice(45, 65)]
        #expect(DocumentText.joined(overlapping) == String(Self.text.unicodeScalars.prefix(65)))
        // A gap (the whitespace between 43 and 45, and the space at 65) becomes one space.
        let gapped = [Self.slice(0, 43), Self.slice(45, 65), Self.slice(66, 78)]
        #expect(DocumentText.joined(gapped) == "Éléphants never forget. Walruses eat clams. Penguins 🐧 swim far. Seals sleep.")
        #expect(DocumentText.joined([]) == "")
    }

    @Test("migrating a version-1 file fills documents_fts from the chunks, without touching vectors")
    func backfill() throws {
        let folder = try TemporaryFolder("trove-backfill")
        let path = folder.url.appendingPathComponent("v1.trove").path
        do {
            // An index as version 1 wrote it: two documents with overlapping chunks, one with none.
            let queue = try DatabaseQueue(path: path)
            var migrator = DatabaseMigrator()
            let v1 = Migrations.all[0]
            migrator.registerMigration(v1.identifier) { db in try db.execute(sql: v1.sql) }
            try migrator.migrate(queue)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO metadata(key, value) VALUES ('dimension', '1')")
                for (id, name) in [(1, "a"), (2, "b"), (3, "empty")] {
                    try db.execute(sql: """
                        INSERT INTO documents(id, path, file_path, content_hash, size, mtime, format, ingested_at)
                        VALUES (?, ?, ?, 'h', 1, 1, 'text', 1)
                        """, arguments: [id, "/d/\(name).txt", "/d/\(name).txt"])
                }
                let chunks = [(1, Self.slice(0, 43)), (1, Self.slice(24, 65)), (1, Self.slice(66, 78)), (2, (text: "Walruses", start: 0, end: 8))]
                for (ordinal, (document, chunk)) in chunks.enumerated() {
                    try db.execute(sql: """
                        INSERT INTO chunks(document_id, ordinal, text, start, "end", token_count) VALUES (?, ?, ?, ?, ?, 1)
                        """, arguments: [document, ordinal, chunk.text, chunk.start, chunk.end])
                    try db.execute(sql: "INSERT INTO vectors(chunk_id, embedding) VALUES (?, ?)",
                                   arguments: [db.lastInsertedRowID, VectorBlob.data(from: [Float(ordinal)])])
                }
            }
        }
        let database = try IndexDatabase.open(path: path)
        #expect(try database.documentText(id: 1) == "Éléphants never forget. Walruses eat clams.\n\nPenguins 🐧 swim far. Seals sleep.")
        #expect(try database.documentText(id: 2) == "Walruses")
        #expect(try database.documentText(id: 3) == "")
        #expect(try database.documentKeywordSearch("elephant seal", limit: 10).map(\.path) == ["/d/a.txt"])
        #expect(try database.documentKeywordSearch("walruses", limit: 10).count == 2)
        #expect(try database.count("vectors") == 4)
        // v5 rebuilt chunks_fts (text and context columns) from the rows already stored.
        #expect(try database.keywordSearch("walruses", limit: 10).count == 3)
        #expect(try database.chunks(documentPath: "/d/a.txt").allSatisfy { $0.context == nil })
        #expect(try database.read { db in try String.fetchOne(db, sql: "SELECT value FROM metadata WHERE key = 'schema_version'") } == "\(Migrations.schemaVersion)")
    }
}
