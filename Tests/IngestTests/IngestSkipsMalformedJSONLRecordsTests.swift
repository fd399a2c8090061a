import Foundation
import Testing
import TroveTestSupport
@testable import Ingest
@testable import Store

/// One malformed line of a `.jsonl` corpus skips that record, reported with its line number; the
/// other records are indexed (it once cost the whole file).
@Suite("Malformed JSONL records")
struct IngestSkipsMalformedJSONLRecordsTests {
    static let corpus = """
        {"_id": "1", "text": "the walrus sleeps"}
        {"_id": "2", "text": "broken
        {"_id": "3", "title": "Seals", "text": "seals bask"}
        [4]
        {"_id": "5", "text": "penguins waddle"}

        """

    @Test("a malformed line skips its record with the line number; the valid records are indexed")
    func badLinesSkipped() throws {
        let fixture = try IngestFixture()
        try fixture.write("c.jsonl", Self.corpus)
        let report = try fixture.ingest()
        #expect(report.added == 3)
        #expect(report.skipped.map(\.path) == [fixture.path("c.jsonl"), fixture.path("c.jsonl")])
        #expect(report.skipped.map(\.reason) == [
            #"record skipped: line 2: not valid JSON (expected a JSON object with "_id" and "text", optional "title")"#,
            #"record skipped: line 4: not a JSON object (expected a JSON object with "_id" and "text", optional "title")"#,
        ])
        #expect(try fixture.storedPaths() == ["c.jsonl#1", "c.jsonl#3", "c.jsonl#5"])
        try fixture.expectConsistent()
    }

    @Test("the bad lines are reported again on each run until fixed, without embedding the good records again")
    func reportedUntilFixed() throws {
        let fixture = try IngestFixture()
        try fixture.write("c.jsonl", Self.corpus)
        _ = try fixture.ingest()
        let encoder = FakeChunkEncoder()
        let again = try fixture.ingest(encoder)
        #expect(again.unchanged == 3 && again.skipped.count == 2 && encoder.textsEmbedded == 0)

        try fixture.write("c.jsonl", Self.corpus.replacingOccurrences(of: "\"broken\n", with: "\"mended\"}\n")
                                                .replacingOccurrences(of: "[4]\n", with: ""))
        let fixed = try fixture.ingest(encoder)
        #expect(fixed.added == 1 && fixed.unchanged == 3 && fixed.skipped.isEmpty)
        #expect(try fixture.ingest().unchanged == 4)
        try fixture.expectConsistent()
    }

    @Test("many bad lines are listed up to ten, then counted")
    func manyBadLines() throws {
        let fixture = try IngestFixture()
        try fixture.write("c.jsonl", #"{"_id": "1", "text": "walrus"}"# + "\n" + String(repeating: "nope\n", count: 14))
        let report = try fixture.ingest()
        #expect(report.added == 1 && report.skipped.count == 11)
        #expect(report.skipped.first?.reason.hasPrefix("record skipped: line 2:") == true)
        #expect(report.skipped.last?.reason == "4 more malformed lines skipped")
    }

    @Test("the loader lists malformed lines with their numbers; the strict load still refuses the file")
    func loaderLists() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("c.jsonl", Self.corpus)
        let loaded = try JSONLLoader.loadRecords(file)
        #expect(loaded.documents.map(\.path) == ["1", "3", "5"].map { "\(file.path)#\($0)" })
        #expect(loaded.malformedRecords.map(\.file) == [file.path, file.path])
        #expect(loaded.malformedRecords.compactMap {
            if case let .malformedJSONLLine(_, line, _) = $0 { return line } else { return nil }
        } == [2, 4])
        #expect(throws: LoaderError.self) { try DocumentLoader.load(file) }
        let junk = try folder.write("junk.jsonl", "no\nrecords\nhere\n")
        #expect(throws: LoaderError.malformedJSONLLine(file: junk.path, line: 1, problem: "not valid JSON")) {
            try DocumentLoader.loadFile(junk)
        }
    }
}
