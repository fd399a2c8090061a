import Foundation
import Testing
import TroveTestSupport
@testable import Ingest
@testable import Store

/// `kill -9` of a process in the middle of writing a document: SQLite's WAL ignores the frames of
/// a transaction that never committed, so the index holds the old version, and the next ingest
/// completes the work. The writer here is the `sqlite3` shell doing what `replaceDocument` does,
/// because a test cannot kill -9 its own process.
@Suite("Killed writer")
struct IndexSurvivesKilledWriterTests {
    static let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")

    @Test("a writer killed mid-transaction leaves the old document; the next ingest updates it")
    func killedMidTransaction() throws {
        try Fixtures.required(Self.sqlite3)
        let fixture = try IngestFixture()
        try fixture.write("a.txt", "the walrus sleeps on the ice")
        try fixture.write("b.txt", "the penguin swims")
        _ = try fixture.ingest()
        let before = try fixture.database.loadVectors()
        let path = fixture.path("a.txt")

        // Half a replaceDocument: old rows deleted, new document and a chunk inserted, no COMMIT.
        let shell = Process()
        shell.executableURL = Self.sqlite3
        shell.arguments = [fixture.database.location]
        let input = Pipe(), output = Pipe()
        shell.standardInput = input
        shell.standardOutput = output
        try shell.run()
        let script = """
            PRAGMA foreign_keys = ON;
            BEGIN IMMEDIATE;
            DELETE FROM documents WHERE path = '\(path)';
            INSERT INTO documents(path, file_path, content_hash, size, mtime, format, title, ingested_at)
                VALUES ('\(path)', '\(path)', 'half', 1, 1, 'text', 'half', 1);
            INSERT INTO chunks(document_id, ordinal, text, start, "end", token_count)
                VALUES (last_insert_rowid(), 0, 'half written penguin', 0, 20, 3);
            SELECT 'ready';

            """
        input.fileHandleForWriting.write(Data(script.utf8))
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("ready") {
            let more = output.fileHandleForReading.availableData
            if more.isEmpty { break }
            seen += more
        }
        #expect(String(decoding: seen, as: UTF8.self).contains("ready"))
        kill(shell.processIdentifier, SIGKILL)
        shell.waitUntilExit()
        #expect(shell.terminationReason == .uncaughtSignal)

        let reopened = try IndexDatabase.open(path: fixture.database.location)
        #expect(try reopened.document(path: path)?.contentHash == ContentHash.sha256("the walrus sleeps on the ice"))
        #expect(try reopened.loadVectors() == before)
        #expect(try reopened.keywordSearch("half written", limit: 5).isEmpty)
        #expect(try reopened.keywordSearch("walrus", limit: 5).count == 1)

        try fixture.write("a.txt", "the walrus wakes up")
        try fixture.setModificationDate("a.txt", Date(timeIntervalSince1970: 1_600_000_000))
        let report = try fixture.ingest()
        #expect(report.updated == 1 && report.unchanged == 1)
        try fixture.expectConsistent()
    }
}
