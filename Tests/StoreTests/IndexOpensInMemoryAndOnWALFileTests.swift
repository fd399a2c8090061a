import Foundation
import Testing
@testable import Store
import GRDB
import TroveTestSupport

@Suite("Opening an index")
struct IndexOpensInMemoryAndOnWALFileTests {
    @Test("a new index records schema version and creator", arguments: IndexKind.allCases)
    func newIndexHasMetadata(kind: IndexKind) throws {
        let index = try TestIndex(kind, dimension: nil)
        let metadata = try index.database.metadata()
        #expect(metadata["schema_version"] == String(Migrations.schemaVersion))
        #expect(metadata["created_by"] == "trove")
        #expect(try index.database.recordedEncoder() == nil)
        let stats = try index.database.stats()
        #expect(stats.documents == 0 && stats.chunks == 0 && stats.vectors == 0)
        #expect(stats.fileBytes > 0)
    }

    @Test("a file index is in WAL mode with a busy timeout and survives reopening")
    func fileIsWALAndPersists() throws {
        let folder = try TemporaryFolder("trove-store")
        let path = folder.url.appendingPathComponent("index.trove").path
        do {
            let index = try IndexDatabase.open(path: path)
            try index.ensureEncoder(identity: "fake-encoder", dimension: 4)
            try SampleDocument(path: "/docs/a.txt", texts: ["alpha beta"]).store(in: index)
            let mode = try index.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
            let timeout = try index.read { db in try Int.fetchOne(db, sql: "PRAGMA busy_timeout") }
            #expect(timeout == Int(IndexDatabase.busyTimeout * 1000))
            let synchronous = try index.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
            #expect(synchronous == 1)  // NORMAL
        }
        let reopened = try IndexDatabase.open(path: path)
        #expect(try reopened.recordedEncoder() == EncoderIdentity(identity: "fake-encoder", dimension: 4))
        #expect(try reopened.document(path: "/docs/a.txt")?.title == "a.txt")
        #expect(try reopened.loadVectors().chunkIDs.count == 1)
    }

    @Test("a file that is not SQLite is refused with an error naming it")
    func notSQLiteRefused() throws {
        let folder = try TemporaryFolder("trove-store")
        let file = try folder.write("notes.trove", String(repeating: "not a database\n", count: 100))
        #expect {
            _ = try IndexDatabase.open(path: file.path)
        } throws: { error in
            "\(error)".contains(file.path) && "\(error)".contains("not a database")
        }
    }

    @Test("a file from a newer Trove (unknown migration) is refused")
    func newerSchemaRefused() throws {
        let folder = try TemporaryFolder("trove-store")
        let path = folder.url.appendingPathComponent("index.trove").path
        let index = try IndexDatabase.open(path: path)
        try index.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99-from-the-future')")
        }
        #expect(throws: StoreError.newerSchema(file: path, unknownMigrations: ["v99-from-the-future"])) {
            _ = try IndexDatabase.open(path: path)
        }
    }
}

@Suite("Opening an index read-only")
struct IndexOpensReadOnlyTests {
    @Test("a read-only index reads, verifies the encoder, and refuses writes naming the file")
    func readOnly() throws {
        let folder = try TemporaryFolder("trove-store")
        let path = folder.url.appendingPathComponent("index.trove").path
        let writer = try IndexDatabase.open(path: path)
        try writer.ensureEncoder(identity: "fake-encoder", dimension: 4)
        try SampleDocument(path: "/d/a.txt", texts: ["walrus"]).store(in: writer)

        let reader = try IndexDatabase.open(path: path, readOnly: true)
        #expect(try reader.keywordSearch("walrus", limit: 3).count == 1)
        #expect(try reader.loadVectors().chunkIDs.count == 1)
        try reader.verifyEncoder(identity: "fake-encoder", dimension: 4)
        #expect(throws: StoreError.encoderMismatch(file: path, storedIdentity: "fake-encoder", storedDimension: 4,
                                                   givenIdentity: "other", givenDimension: 4)) {
            try reader.verifyEncoder(identity: "other", dimension: 4)
        }
        #expect {
            try reader.removeDocument(path: "/d/a.txt")
        } throws: { error in
            guard case let .sqlite(file, _, message) = error as? StoreError else { return false }
            return file == path && message.contains("read-only")
        }
        #expect(try writer.document(path: "/d/a.txt") != nil)
    }

    @Test("a missing file cannot be opened read-only")
    func missingFile() throws {
        let folder = try TemporaryFolder("trove-store")
        let path = folder.url.appendingPathComponent("absent.trove").path
        #expect {
            _ = try IndexDatabase.open(path: path, readOnly: true)
        } throws: { error in "\(error)".contains(path) }
    }
}
