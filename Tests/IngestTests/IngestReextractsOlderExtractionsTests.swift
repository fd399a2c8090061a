import Foundation
import GRDB
import Testing
@testable import Ingest
@testable import Store

/// A new loader must reach the documents of an existing index: users keep their index file.
@Suite("Re-extraction when the loaders change")
struct IngestReextractsOlderExtractionsTests {
    @Test("documents written by an older extraction are read again on the next ingest, even unchanged")
    func olderExtractionIsRedone() throws {
        let fixture = try IngestFixture()
        try fixture.write("notes.txt", "First line.\nSecond line about lamps.\n")
        try fixture.write("page.html", "<nav>Home | Next</nav><main><h1 id='top'>Lamps</h1><p>Colza oil.</p></main>")
        _ = try fixture.ingest()
        // As an index written before extraction versions existed: version 1, no lines or anchors.
        try fixture.database.write { db in
            try db.execute(sql: "UPDATE documents SET extraction_version = 1")
            try db.execute(sql: "UPDATE chunks SET line_start = NULL, line_end = NULL, anchor = NULL")
        }
        let encoder = FakeChunkEncoder()
        let report = try fixture.ingest(encoder)
        #expect(report.updated == 2 && report.unchanged == 0 && encoder.textsEmbedded > 0)
        let text = try fixture.database.chunks(documentPath: fixture.path("notes.txt"))
        #expect(text.first?.lineStart == 1 && text.first?.lineEnd == 2)
        let html = try fixture.database.chunks(documentPath: fixture.path("page.html"))
        #expect(html.first?.anchor == "top")
        #expect(html.allSatisfy { !$0.text.contains("Home") })
        #expect(try fixture.database.allDocuments().allSatisfy { $0.extractionVersion == DocumentLoader.extractionVersion })

        let again = try fixture.ingest(FakeChunkEncoder())
        #expect(again.unchanged == 2 && again.updated == 0, "once current, nothing is read again")
        try fixture.expectConsistent()
    }
}
