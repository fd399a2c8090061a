import Foundation
import GRDB
import Store
import Testing
import TroveTestSupport

/// Opening an index written by an older Trove migrates it in place (schema v5 rebuilds the
/// passages' full-text index from every row). A `trove` killed with SIGKILL at any moment of
/// that leaves the old schema or a newer one, never a half-migrated file, and loses no row; the
/// next run finishes the migration.
@Suite("a migration killed with SIGKILL")
struct KilledMigrationLosesNothingTests {
    static let documents = 400, chunksPerDocument = 100

    @Test("leaves every row and an intact file at a schema version the next run completes")
    func killedMigration() throws {
        let folder = try TemporaryFolder("trove-migration-kill")
        let pristine = folder.url.appendingPathComponent("v4.sqlite").path
        try Self.writeVersion4Index(at: pristine)

        // How long an uninterrupted migration takes here, start-up included: the kills land inside it.
        let timed = folder.url.appendingPathComponent("timed.sqlite").path
        try Self.copyIndex(pristine, to: timed)
        let started = Date()
        let whole = try TroveBinary.run(["stats", "--index", timed, "--json"])
        let seconds = Date().timeIntervalSince(started)
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(try Self.state(of: timed).version == 6)

        var versionsSeen: Set<Int> = []
        for (trial, fraction) in [0.3, 0.5, 0.7, 0.85, 0.95].enumerated() {
            let index = folder.url.appendingPathComponent("trial-\(trial).sqlite").path
            try Self.copyIndex(pristine, to: index)
            let process = Process()
            process.executableURL = TroveBinary.url
            process.arguments = ["stats", "--index", index, "--json"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: seconds * fraction)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let killed = try Self.state(of: index)
            versionsSeen.insert(killed.version)
            #expect([4, 5, 6].contains(killed.version), "trial \(trial): schema \(killed.version)")
            #expect(killed.intact, "trial \(trial): integrity check failed")
            #expect(killed.chunks == Self.documents * Self.chunksPerDocument && killed.vectors == killed.chunks,
                    "trial \(trial): \(killed.chunks) chunks, \(killed.vectors) vectors")

            let rerun = try TroveBinary.run(["stats", "--index", index, "--json"])
            #expect(rerun.status == 0, "\(rerun.stderr)")
            let finished = try Self.state(of: index)
            #expect(finished.version == 6 && finished.intact && finished.chunks == killed.chunks)
            #expect(finished.keywordHits == Self.documents, "trial \(trial): the rebuilt full-text index finds \(finished.keywordHits)")
        }
        print("migration of \(Self.documents * Self.chunksPerDocument) chunks: \(String(format: "%.2f", seconds)) s; killed at schema versions \(versionsSeen.sorted())")
    }

    /// An index as Trove wrote it before schema v5: no `chunks.context`, a one-column `chunks_fts`,
    /// no `documents.collection`; `documents × chunksPerDocument` chunks, each document's first
    /// chunk holding the word "cormorant".
    static func writeVersion4Index(at path: String) throws {
        let database = try IndexDatabase.open(path: path)
        try database.ensureEncoder(identity: "migration-test", dimension: 4)
        for document in 0 ..< documents {
            let chunks = (0 ..< chunksPerDocument).map { n in
                Chunk(ordinal: n, text: (n == 0 ? "cormorant " : "") + "note \(document).\(n): the tide at harbour \(n % 13) turned at \(n) past the hour, and the keeper logged wind, swell and visibility.",
                      start: 0, end: 1, tokenCount: 30)
            }
            try database.replaceDocument(Document(path: "/notes/\(document).txt", contentHash: "\(document)", size: 1, mtime: 0, format: "text"),
                                         chunks: chunks, vectors: chunks.map { _ in [0.5, 0.5, 0.5, 0.5] })
        }
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                DROP INDEX documents_by_collection;
                ALTER TABLE documents DROP COLUMN collection;
                DROP TRIGGER chunks_fts_after_insert; DROP TRIGGER chunks_fts_after_delete; DROP TRIGGER chunks_fts_after_update;
                DROP TABLE chunks_fts;
                ALTER TABLE chunks DROP COLUMN context;
                CREATE VIRTUAL TABLE chunks_fts USING fts5(
                    text, content = 'chunks', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2');
                CREATE TRIGGER chunks_fts_after_insert AFTER INSERT ON chunks BEGIN
                    INSERT INTO chunks_fts(rowid, text) VALUES (NEW.id, NEW.text);
                END;
                CREATE TRIGGER chunks_fts_after_delete AFTER DELETE ON chunks BEGIN
                    INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
                END;
                CREATE TRIGGER chunks_fts_after_update AFTER UPDATE OF text ON chunks BEGIN
                    INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
                    INSERT INTO chunks_fts(rowid, text) VALUES (NEW.id, NEW.text);
                END;
                INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild');
                DELETE FROM grdb_migrations WHERE identifier IN ('v5-chunk-context', 'v6-document-collections');
                UPDATE metadata SET value = '4' WHERE key = 'schema_version';
                """)
        }
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// Copies the index file alone (checkpointed: no `-wal` beside it).
    static func copyIndex(_ source: String, to target: String) throws {
        try FileManager.default.copyItem(atPath: source, toPath: target)
    }

    /// What a killed process left: the schema version SQLite committed, whether the file and both
    /// full-text indexes pass their integrity checks, the rows, and the documents "cormorant" finds.
    static func state(of path: String) throws -> (version: Int, intact: Bool, chunks: Int, vectors: Int, keywordHits: Int) {
        let queue = try DatabaseQueue(path: path)
        return try queue.write { db in
            let version = try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations") ?? 0
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            try db.execute(sql: "INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)")
            let chunks = try Int.fetchOne(db, sql: "SELECT count(*) FROM chunks") ?? 0
            let vectors = try Int.fetchOne(db, sql: "SELECT count(*) FROM vectors") ?? 0
            let hits = try Int.fetchOne(db, sql: "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'cormorant'") ?? 0
            return (version, integrity == ["ok"], chunks, vectors, hits)
        }
    }
}
