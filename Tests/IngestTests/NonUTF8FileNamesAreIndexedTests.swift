import Foundation
import Testing
@testable import Ingest
@testable import Store

/// A file name that is not valid UTF-8 (Latin-1 `café`, a stray byte) is indexed like any other,
/// its path stored and shown with `\xNN` escapes, and the escapes lead back to the file.
struct NonUTF8FileNamesAreIndexedTests {
    /// Creates `bytes` (a name) in `folder` with `text` as content, through the raw system call.
    static func create(_ folder: URL, name bytes: [UInt8], _ text: String) throws {
        var path = Array(folder.path.utf8) + [UInt8(ascii: "/")] + bytes + [0]
        let descriptor = path.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        }
        #expect(descriptor >= 0)
        _ = Array(text.utf8).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
    }

    @Test("names are decoded with escapes, and escapes give back the bytes", arguments: [
        ([0x63, 0x61, 0x66, 0xE9], "caf\\xE9"),
        ([0xFF, 0x2E, 0x74], "\\xFF.t"),
        ([0xC3, 0xA9, 0xC3], "é\\xC3"),
        ([0x61, 0x62], "ab"),
    ] as [([UInt8], String)])
    func roundTrip(bytes: [UInt8], shown: String) {
        #expect(FileName.decode(bytes) == shown)
        #expect(FileName.bytes(shown) == bytes)
    }

    @Test("a folder holding a Latin-1 file name is ingested: the document is stored under the escaped path, and re-ingest finds it unchanged")
    func ingested() throws {
        let fixture = try IngestFixture()
        try Self.create(fixture.corpus, name: Array("caf".utf8) + [0xE9] + Array(".txt".utf8), "The café sells croissants and strong coffee.")
        try fixture.write("plain.txt", "A plain name.")
        let report = try fixture.ingest()
        #expect(report.skipped.isEmpty, "\(report.skipped)")
        #expect(report.added == 2)
        #expect(try fixture.storedPaths() == ["caf\\xE9.txt", "plain.txt"])
        let document = try #require(try fixture.database.document(path: fixture.path("caf\\xE9.txt")))
        #expect(document.title == "caf\\xE9.txt")
        #expect(try fixture.database.keywordSearch("croissants", limit: 1).count == 1)

        let again = try fixture.ingest()
        #expect(again.unchanged == 2 && again.added == 0 && again.removed == 0)
        try fixture.expectConsistent()
    }

    @Test("a file whose name is not UTF-8 can be named directly, by its escaped path")
    func namedDirectly() throws {
        let fixture = try IngestFixture()
        try Self.create(fixture.corpus, name: [0xFF] + Array(".txt".utf8), "A stray byte names this file.")
        let pipeline = IngestPipeline(database: fixture.database, encoder: FakeChunkEncoder())
        let report = try pipeline.ingest(paths: [fixture.corpus.appendingPathComponent("\\xFF.txt")])
        #expect(report.added == 1 && report.skipped.isEmpty, "\(report.skipped)")
        #expect(try fixture.storedPaths() == ["\\xFF.txt"])
    }
}
