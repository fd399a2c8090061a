import Foundation
import Testing
@testable import Ingest

@Suite("Ingest report")
struct IngestReportEncodesSnakeCaseTests {
    @Test("the report encodes with the snake_case keys scripts read")
    func snakeCase() throws {
        var report = IngestReport()
        report.added = 2
        report.moved = 1
        report.chunksWritten = 14
        report.wordPiecesWritten = 2310
        report.seconds = 0.5
        report.skipped = [SkippedFile(path: "/d/x.bin", reason: "unsupported file type '.bin'")]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(report), as: UTF8.self)
        #expect(json == #"{"added":2,"chunks_written":14,"moved":1,"removed":0,"seconds":0.5,"#
            + #""skipped":[{"path":"\/d\/x.bin","reason":"unsupported file type '.bin'"}],"unchanged":0,"updated":0,"word_pieces_written":2310}"#)
        #expect(try JSONDecoder().decode(IngestReport.self, from: Data(json.utf8)) == report)
    }
}
