import Foundation
import Testing
@testable import Ingest
@testable import Store

@Suite("Interrupted ingest")
struct IngestResumesAfterInterruptionTests {
    @Test("an encoder failing midway leaves whole documents only; the next run completes the index")
    func resumes() throws {
        let fixture = try IngestFixture()
        for i in 0..<10 { try fixture.write("doc\(i).txt", "document \(i) about topic \(i)") }
        // One chunk per document, two per embed call: the encoder dies during the fourth call.
        let failing = FakeChunkEncoder(failAfterTexts: 7)
        #expect(throws: FakeChunkEncoder.Interrupted.self) { try fixture.ingest(failing, batch: 2) }

        let partial = try fixture.database.stats()
        #expect(partial.documents == 6)
        #expect(partial.chunks == 6 && partial.vectors == 6)
        try fixture.expectConsistent()

        let encoder = FakeChunkEncoder()
        let report = try fixture.ingest(encoder, batch: 2)
        #expect(report.unchanged == 6 && report.added == 4 && report.removed == 0)
        #expect(encoder.textsEmbedded == 4)
        #expect(try fixture.database.stats().documents == 10)
        try fixture.expectConsistent()
    }

    @Test("a JSONL corpus interrupted midway is completed, and only then marked unchanged")
    func resumesJSONL() throws {
        let fixture = try IngestFixture()
        let lines = (0..<6).map { #"{"_id": "r\#($0)", "title": "Record \#($0)", "text": "body of record \#($0)"}"# }
        try fixture.write("corpus.jsonl", lines.joined(separator: "\n") + "\n")
        #expect(throws: FakeChunkEncoder.Interrupted.self) { try fixture.ingest(FakeChunkEncoder(failAfterTexts: 4), batch: 2) }
        #expect(try fixture.database.stats().documents == 4)
        // The stored records carry the "incomplete" mtime, so the file is not taken as unchanged.
        #expect(try fixture.database.allDocuments().allSatisfy { $0.mtime == IngestRun.incompleteMTime })

        let encoder = FakeChunkEncoder()
        let report = try fixture.ingest(encoder, batch: 2)
        #expect(report.unchanged == 4 && report.added == 2)
        #expect(encoder.textsEmbedded == 2)
        let file = try FileState(path: fixture.path("corpus.jsonl"), limits: .standard, collection: "corpus")
        #expect(try fixture.database.allDocuments().allSatisfy { $0.mtime == file.mtime && $0.size == file.size })
        #expect(try fixture.ingest().unchanged == 6)
        try fixture.expectConsistent()
    }
}
