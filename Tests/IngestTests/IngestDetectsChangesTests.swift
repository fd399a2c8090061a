import Foundation
import Testing
@testable import Ingest
@testable import Store

@Suite("Incremental ingest")
struct IngestDetectsChangesTests {
    @Test("a first ingest adds every document with one vector per chunk")
    func firstIngest() throws {
        let fixture = try IngestFixture()
        try fixture.write("a.txt", longText("walrus", sentences: 40))
        try fixture.write("notes/b.md", "# Penguins\n\nPenguins live in the south.\n")
        try fixture.write("notes/c.txt", "Short note about clams.")
        let encoder = FakeChunkEncoder()
        let report = try fixture.ingest(encoder)

        #expect(report.added == 3 && report.updated == 0 && report.unchanged == 0 && report.removed == 0)
        #expect(report.skipped.isEmpty)
        let stats = try fixture.database.stats()
        #expect(stats.documents == 3)
        #expect(stats.chunks > 3)  // the long file makes several chunks
        #expect(report.chunksWritten == stats.chunks)
        #expect(encoder.textsEmbedded == stats.chunks)
        #expect(try fixture.storedPaths() == ["a.txt", "notes/b.md", "notes/c.txt"])
        let b = try #require(try fixture.database.document(path: fixture.path("notes/b.md")))
        #expect(b.format == "markdown" && b.title == "Penguins" && b.filePath == b.path)
        #expect(b.contentHash == ContentHash.sha256("# Penguins\n\nPenguins live in the south.\n"))
        #expect(try fixture.database.document(path: fixture.path("notes/c.txt"))?.title == "c.txt")
        #expect(try fixture.database.recordedEncoder() == EncoderIdentity(identity: "fake-bag-of-words", dimension: 16))
        try fixture.expectConsistent()
    }

    @Test("a second ingest of an untouched folder reads and embeds nothing")
    func unchanged() throws {
        let fixture = try IngestFixture()
        try fixture.write("a.txt", "alpha")
        try fixture.write("b.txt", "beta")
        _ = try fixture.ingest()
        let encoder = FakeChunkEncoder()
        let report = try fixture.ingest(encoder)
        #expect(report.unchanged == 2 && report.added == 0 && report.updated == 0 && report.chunksWritten == 0)
        #expect(encoder.textsEmbedded == 0)
    }

    @Test("a touched file with the same bytes is unchanged and its new mtime recorded")
    func touched() throws {
        let fixture = try IngestFixture()
        try fixture.write("a.txt", "alpha")
        _ = try fixture.ingest()
        try fixture.setModificationDate("a.txt", Date(timeIntervalSince1970: 1_600_000_000))
        let encoder = FakeChunkEncoder()
        let report = try fixture.ingest(encoder)
        #expect(report.unchanged == 1 && report.updated == 0 && encoder.textsEmbedded == 0)
        #expect(try fixture.database.document(path: fixture.path("a.txt"))?.mtime == 1_600_000_000)
    }

    @Test("an edited file is re-embedded and its old chunks are gone")
    func edited() throws {
        let fixture = try IngestFixture()
        try fixture.write("a.txt", "the walrus sleeps")
        try fixture.write("b.txt", "unrelated")
        _ = try fixture.ingest()
        try fixture.write("a.txt", "the penguin swims")
        try fixture.setModificationDate("a.txt", Date(timeIntervalSince1970: 1_600_000_000))
        let report = try fixture.ingest()
        #expect(report.updated == 1 && report.unchanged == 1 && report.added == 0)
        #expect(try fixture.database.keywordSearch("walrus", limit: 5).isEmpty)
        #expect(try fixture.database.keywordSearch("penguin", limit: 5).count == 1)
        #expect(try fixture.database.stats().documents == 2)
        try fixture.expectConsistent()
    }

    @Test("a deleted file's document leaves the index on the next ingest of its folder")
    func deleted() throws {
        let fixture = try IngestFixture()
        try fixture.write("a.txt", "the walrus sleeps")
        try fixture.write("sub/b.txt", "the penguin swims")
        _ = try fixture.ingest()
        try FileManager.default.removeItem(atPath: fixture.path("sub/b.txt"))
        let report = try fixture.ingest()
        #expect(report.removed == 1 && report.unchanged == 1)
        #expect(try fixture.storedPaths() == ["a.txt"])
        #expect(try fixture.database.keywordSearch("penguin", limit: 5).isEmpty)
        try fixture.expectConsistent()
    }

    @Test("a renamed file is moved in the index, its vectors reused, nothing embedded")
    func renamed() throws {
        let fixture = try IngestFixture()
        try fixture.write("a.txt", longText("walrus", sentences: 20))
        try fixture.write("other.txt", "unrelated")
        _ = try fixture.ingest()
        let before = try fixture.database.loadVectors()
        try FileManager.default.createDirectory(atPath: fixture.path("moved"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: fixture.path("a.txt"), toPath: fixture.path("moved/renamed.txt"))

        let encoder = FakeChunkEncoder()
        let report = try fixture.ingest(encoder)
        #expect(report.moved == 1 && report.removed == 0 && report.added == 0 && report.unchanged == 1)
        #expect(encoder.textsEmbedded == 0)
        #expect(try fixture.storedPaths() == ["moved/renamed.txt", "other.txt"])
        #expect(try fixture.database.loadVectors() == before)
        let hits = try fixture.database.keywordSearch("walrus", limit: 1)
        #expect(try fixture.database.chunks(ids: hits.map(\.chunkID)).first?.documentPath == fixture.path("moved/renamed.txt"))
        try fixture.expectConsistent()
    }

    @Test("a copy of a file whose original still exists is embedded on its own")
    func copied() throws {
        let fixture = try IngestFixture()
        try fixture.write("a.txt", "the walrus sleeps")
        _ = try fixture.ingest()
        try fixture.write("b.txt", "the walrus sleeps")
        let report = try fixture.ingest()
        #expect(report.added == 1 && report.moved == 0 && report.unchanged == 1)
        #expect(try fixture.storedPaths() == ["a.txt", "b.txt"])
    }

    @Test("a single file can be ingested by path, and a missing path is reported")
    func singleFile() throws {
        let fixture = try IngestFixture()
        let file = try fixture.write("a.txt", "alpha")
        let pipeline = IngestPipeline(database: fixture.database, encoder: FakeChunkEncoder())
        let missing = fixture.corpus.appendingPathComponent("nope.txt")
        let report = try pipeline.ingest(paths: [file, missing])
        #expect(report.added == 1)
        #expect(report.skipped == [SkippedFile(path: missing.path, reason: "no such file or folder")])
    }

    @Test("progress counts files and chunks and ends with the totals")
    func progress() throws {
        let fixture = try IngestFixture()
        for i in 0..<5 { try fixture.write("f\(i).txt", longText("topic\(i)", sentences: 10)) }
        var updates: [IngestProgress] = []
        let report = try fixture.ingest(batch: 4) { updates.append($0) }
        // One update per file, then the totals once the last batch is written.
        #expect(updates.map(\.filesDone) == [1, 2, 3, 4, 5, 5])
        #expect(updates.allSatisfy { $0.filesTotal == 5 })
        #expect(updates.last?.secondsRemaining == 0)
        #expect(zip(updates, updates.dropFirst()).allSatisfy { $0.chunksWritten <= $1.chunksWritten })
        #expect(updates.last?.chunksWritten == report.chunksWritten)
    }
}
