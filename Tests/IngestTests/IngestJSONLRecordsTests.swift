import Foundation
import Testing
@testable import Ingest
@testable import Store

@Suite("JSONL corpora")
struct IngestJSONLRecordsTests {
    static func corpus(_ records: [(String, String)]) -> String {
        records.map { #"{"_id": "\#($0.0)", "text": "\#($0.1)"}"# }.joined(separator: "\n") + "\n"
    }

    @Test("each record is a document; an edit re-embeds only the records that changed")
    func recordsTracked() throws {
        let fixture = try IngestFixture()
        try fixture.write("c.jsonl", Self.corpus([("1", "walrus"), ("2", "penguin"), ("3", "seal")]))
        let first = try fixture.ingest()
        #expect(first.added == 3)
        #expect(try fixture.storedPaths() == ["c.jsonl#1", "c.jsonl#2", "c.jsonl#3"])
        let record = try #require(try fixture.database.document(path: fixture.path("c.jsonl") + "#2"))
        #expect(record.filePath == fixture.path("c.jsonl") && record.format == "jsonl")
        #expect(record.contentHash == ContentHash.sha256("penguin"))

        try fixture.write("c.jsonl", Self.corpus([("1", "walrus"), ("2", "emperor penguin"), ("4", "otter")]))
        try fixture.setModificationDate("c.jsonl", Date(timeIntervalSince1970: 1_600_000_000))
        let encoder = FakeChunkEncoder()
        let second = try fixture.ingest(encoder)
        #expect(second.unchanged == 1 && second.updated == 1 && second.added == 1 && second.removed == 1)
        #expect(encoder.textsEmbedded == 2)
        #expect(try fixture.storedPaths() == ["c.jsonl#1", "c.jsonl#2", "c.jsonl#4"])
        #expect(try fixture.ingest().unchanged == 3)
        try fixture.expectConsistent()
    }

    @Test("a renamed corpus moves its records without embedding them")
    func corpusRenamed() throws {
        let fixture = try IngestFixture()
        try fixture.write("c.jsonl", Self.corpus([("1", "walrus"), ("2", "penguin")]))
        _ = try fixture.ingest()
        try FileManager.default.moveItem(atPath: fixture.path("c.jsonl"), toPath: fixture.path("d.jsonl"))
        let encoder = FakeChunkEncoder()
        let report = try fixture.ingest(encoder)
        #expect(report.moved == 2 && report.removed == 0 && encoder.textsEmbedded == 0)
        #expect(try fixture.storedPaths() == ["d.jsonl#1", "d.jsonl#2"])
        #expect(try fixture.database.documents(inFile: fixture.path("d.jsonl")).count == 2)
        #expect(try fixture.ingest().unchanged == 2)
    }
}
