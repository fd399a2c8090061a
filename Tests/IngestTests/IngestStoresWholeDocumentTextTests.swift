import Foundation
import Testing
@testable import Ingest
@testable import Store

/// The pipeline gives the store each document's loaded text, whole, for `documents_fts`: exactly
/// the loader's text (paragraph breaks included, unlike text rebuilt from chunks), also for JSONL
/// records; a moved file keeps its row.
@Suite("Whole-document text")
struct IngestStoresWholeDocumentTextTests {
    @Test("documents_fts holds the loaded text of files and records, and follows a move")
    func loadedText() throws {
        let fixture = try IngestFixture()
        let long = longText("walrus", sentences: 40) + "\n\n\n" + longText("penguin", sentences: 30)
        try fixture.write("a.txt", long)
        try fixture.write("notes/b.md", "# Penguins\n\nPenguins live in the south.\n")
        try fixture.write("c.jsonl", #"{"_id": "7", "title": "Clams", "text": "Clams filter water."}"# + "\n")
        _ = try fixture.ingest()

        for name in ["a.txt", "notes/b.md"] {
            let loaded = try DocumentLoader.load(URL(fileURLWithPath: fixture.path(name)))
            #expect(try fixture.fullText(fixture.path(name)) == loaded[0].text, "\(name)")
        }
        let record = try DocumentLoader.load(URL(fileURLWithPath: fixture.path("c.jsonl")))[0]
        #expect(try fixture.fullText(record.path) == record.text)
        #expect(try fixture.database.chunks(documentPath: fixture.path("a.txt")).count > 1)
        #expect(try fixture.database.documentKeywordSearch("penguins", limit: 5).map(\.path).sorted()
            == [fixture.path("a.txt"), fixture.path("notes/b.md")])

        let before = try #require(try fixture.fullText(fixture.path("notes/b.md")))
        try FileManager.default.moveItem(atPath: fixture.path("notes/b.md"), toPath: fixture.path("notes/moved.md"))
        let report = try fixture.ingest()
        #expect(report.moved == 1)
        #expect(try fixture.fullText(fixture.path("notes/moved.md")) == before)
        #expect(try fixture.fullText(fixture.path("notes/b.md")) == nil)
        #expect(try fixture.database.documentKeywordSearch("south", limit: 5).map(\.path) == [fixture.path("notes/moved.md")])
        try fixture.expectConsistent()
    }
}
