import Foundation
import Testing
@testable import Ingest
@testable import Store

@Suite("Bad files")
struct IngestSkipsBadFilesTests {
    @Test("a binary file is skipped with its reason while the rest is indexed")
    func binarySkipped() throws {
        let fixture = try IngestFixture()
        try fixture.write("good.txt", "the walrus sleeps")
        try fixture.folder.write("corpus/bad.txt", Data([0x00, 0xFF, 0x00, 0x01, 0x02, 0x00]))
        try fixture.write("later.md", "# Later\n\npenguins")
        let report = try fixture.ingest()
        #expect(report.added == 2)
        let skipped = try #require(report.skipped.first { $0.path == fixture.path("bad.txt") })
        #expect(skipped.reason.contains("binary"))
        #expect(!skipped.reason.hasPrefix(fixture.path("bad.txt")))
        #expect(try fixture.storedPaths() == ["good.txt", "later.md"])
        try fixture.expectConsistent()
    }

    @Test("a stored file that becomes unreadable keeps its stored version")
    func storedVersionKept() throws {
        let fixture = try IngestFixture()
        try fixture.write("corpus.jsonl", #"{"_id": "1", "text": "the walrus sleeps"}"# + "\n")
        try fixture.write("other.txt", "penguins")
        _ = try fixture.ingest()
        try fixture.write("corpus.jsonl", "not json\n")
        let report = try fixture.ingest()
        #expect(report.skipped.map(\.path) == [fixture.path("corpus.jsonl")])
        #expect(report.skipped.first?.reason.contains("line 1") == true)
        #expect(report.removed == 0)
        #expect(try fixture.storedPaths() == ["corpus.jsonl#1", "other.txt"])
        #expect(try fixture.database.keywordSearch("walrus", limit: 5).count == 1)
        try fixture.expectConsistent()
    }
}
