import Foundation
import Testing
@testable import Ingest
@testable import Store
import GRDB
import TroveTestSupport

/// `trove ingest PATH --collection NAME` puts what it reads into NAME; without it, into the
/// collection named after the folder given (a file given alone: after its folder). A later ingest
/// naming another collection moves documents there without reading or embedding them again.
@Suite("ingest tags collections")
struct IngestTagsCollectionsTests {
    @Test("the default collection is the folder's name; a file given alone takes its folder's")
    func defaults() throws {
        let fixture = try IngestFixture()
        try fixture.write("a.txt", "The keeper lit the lamp at dusk.")
        try fixture.write("deep/b.md", "# Fog\n\nThe horn sounded in the fog.")
        try fixture.write("records.jsonl", #"{"_id": "r1", "text": "A storm record."}"#)
        _ = try fixture.ingest()
        let documents = try fixture.database.allDocuments()
        #expect(documents.count == 3)
        #expect(documents.allSatisfy { $0.collection == "corpus" }, "\(documents.map(\.collection))")

        let other = try fixture.folder.write("loose/c.txt", "A note on its own.")
        let pipeline = IngestPipeline(database: fixture.database, encoder: FakeChunkEncoder())
        _ = try pipeline.ingest(paths: [other])
        #expect(try fixture.database.document(path: IngestPipeline.standardizedPath(other))?.collection == "loose")
        #expect(IngestPipeline.defaultCollection(ofPath: "/home/ann/notes", isFolder: true) == "notes")
        #expect(IngestPipeline.defaultCollection(ofPath: "/home/ann/notes/a.md", isFolder: false) == "notes")
        #expect(IngestPipeline.defaultCollection(ofPath: "/", isFolder: true) == "/")
    }

    @Test("naming another collection moves documents there, reading and embedding nothing again")
    func retag() throws {
        let fixture = try IngestFixture()
        try fixture.write("a.txt", "The keeper lit the lamp at dusk.")
        try fixture.write("records.jsonl", #"{"_id": "r1", "text": "A storm record."}"# + "\n" + #"{"_id": "r2", "text": "A calm record."}"#)
        _ = try fixture.ingest()
        let encoder = FakeChunkEncoder()
        let pipeline = IngestPipeline(database: fixture.database, encoder: encoder)
        let report = try pipeline.ingest(paths: [fixture.corpus], collection: "lighthouse")
        #expect(report.unchanged == 3 && report.added + report.updated == 0)
        #expect(encoder.textsEmbedded == 0)
        #expect(try fixture.database.allDocuments().allSatisfy { $0.collection == "lighthouse" })
        // Unchanged and already in the collection: no write at all.
        let before = try fixture.database.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") }
        _ = try pipeline.ingest(paths: [fixture.corpus], collection: "lighthouse")
        #expect(try fixture.database.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") } == before)
        try fixture.expectConsistent()
    }

    @Test("a moved file, a changed file and documents from before collections take the run's collection")
    func movedChangedAndOld() throws {
        let fixture = try IngestFixture()
        try fixture.write("a.txt", "The keeper lit the lamp at dusk.")
        try fixture.write("b.txt", "Gannets nest on the cliffs below the light.")
        _ = try fixture.ingest()
        // As an index written before migration 6 holds them.
        try fixture.database.write { db in try db.execute(sql: "UPDATE documents SET collection = NULL") }
        try FileManager.default.moveItem(atPath: fixture.path("a.txt"), toPath: fixture.path("moved.txt"))
        try fixture.write("b.txt", "Gannets nest on the cliffs below the light, and puffins too.")
        try fixture.write("c.txt", "A new note about the foghorn.")
        let pipeline = IngestPipeline(database: fixture.database, encoder: FakeChunkEncoder())
        let report = try pipeline.ingest(paths: [fixture.corpus], collection: "coast")
        #expect(report.moved == 1 && report.updated == 1 && report.added == 1)
        let documents = try fixture.database.allDocuments()
        #expect(documents.count == 3)
        #expect(documents.allSatisfy { $0.collection == "coast" }, "\(documents.map { ($0.path, $0.collection) })")
    }

    @Test("the collection filter keeps to the named collections")
    func filter() throws {
        let fixture = try IngestFixture()
        try fixture.write("notes/a.txt", "The keeper lit the lamp at dusk.")
        try fixture.write("logs/b.txt", "The keeper logged the storm.")
        let pipeline = IngestPipeline(database: fixture.database, encoder: FakeChunkEncoder())
        _ = try pipeline.ingest(paths: [fixture.corpus.appendingPathComponent("notes")])
        _ = try pipeline.ingest(paths: [fixture.corpus.appendingPathComponent("logs")], collection: "journal")
        let byCollection = { (names: [String]) in
            try fixture.database.documentIDs(matching: DocumentFilter(collections: names)).compactMap {
                try fixture.database.document(id: $0)?.path
            }.sorted()
        }
        #expect(try byCollection(["notes"]) == [fixture.path("notes/a.txt")])
        #expect(try byCollection(["journal"]) == [fixture.path("logs/b.txt")])
        #expect(try byCollection(["journal", "notes"]).count == 2)
        #expect(try byCollection(["Notes"]).isEmpty)
        let counts = try fixture.database.collectionCounts()
        #expect(counts.map(\.collection) == ["journal", "notes"])
        #expect(counts.map(\.documents) == [1, 1])
        // The filter's JSON and command-line forms name it.
        let filter = DocumentFilter(types: ["txt"], collections: ["journal"])
        #expect(filter.description == "--type txt --collection journal")
        let decoded = try JSONDecoder().decode(DocumentFilter.self, from: JSONEncoder().encode(filter))
        #expect(decoded == filter && !decoded.isEmpty)
    }
}
