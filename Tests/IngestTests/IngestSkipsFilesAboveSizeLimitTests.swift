import Foundation
import Testing
import TroveTestSupport
@testable import Ingest
@testable import Store

/// Files above the size limit are skipped with a message giving both sizes, and reading is
/// bounded: never more than the limit plus one byte, even from a file that grows while it is read.
@Suite("Files above the size limit")
struct IngestSkipsFilesAboveSizeLimitTests {
    @Test("a file above the limit is skipped with its size and the limit; the rest is indexed; the stored version stays")
    func skippedWithSizes() throws {
        let fixture = try IngestFixture()
        try fixture.write("small.txt", "the walrus sleeps")
        try fixture.write("big.txt", "penguins")
        var pipeline = IngestPipeline(database: fixture.database, encoder: FakeChunkEncoder())
        #expect(try pipeline.ingest(paths: [fixture.corpus]).added == 2)

        try fixture.write("big.txt", String(repeating: "penguins waddle ", count: 200))   // 3,200 bytes
        pipeline.fileSizeLimits = FileSizeLimits(allFormats: 2048)
        let report = try pipeline.ingest(paths: [fixture.corpus])
        #expect(report.skipped == [SkippedFile(path: fixture.path("big.txt"),
                                               reason: "is 3.1 KiB, above the 2 KiB limit; see --max-file-size")])
        #expect(report.removed == 0 && report.unchanged == 1)
        #expect(try fixture.storedPaths() == ["big.txt", "small.txt"])
        #expect(try fixture.database.keywordSearch("penguins", limit: 5).count == 1)
        try fixture.expectConsistent()
    }

    @Test("limits bound with FileSizeLimits.$current reach a pipeline built without any (as TroveIndex builds it)")
    func boundLimitsReachThePipeline() throws {
        let fixture = try IngestFixture()
        try fixture.write("big.txt", String(repeating: "x", count: 5000))
        let report = try FileSizeLimits.$current.withValue(FileSizeLimits(allFormats: 4096)) {
            try IngestPipeline(database: fixture.database, encoder: FakeChunkEncoder()).ingest(paths: [fixture.corpus])
        }
        #expect(report.skipped.map(\.reason) == ["is 4.9 KiB, above the 4 KiB limit; see --max-file-size"])
        #expect(IngestPipeline(database: fixture.database, encoder: FakeChunkEncoder()).fileSizeLimits == .standard)
    }

    @Test("the default limits: 64 MiB for text-like files, 512 MiB for PDFs; a long book passes")
    func defaults() throws {
        #expect(FileSizeLimits.standard == FileSizeLimits(textBytes: 64 << 20, pdfBytes: 512 << 20))
        #expect(FileSizeLimits.standard.bytes(for: .jsonl) == 64 << 20 && FileSizeLimits.standard.bytes(for: .pdf) == 512 << 20)
        let folder = try TemporaryFolder()
        let sentence = "Prince Andrew looked at the sky above Austerlitz, high and infinitely far. "
        let book = try folder.write("war-and-peace.txt", String(repeating: sentence, count: 4 << 20 / sentence.utf8.count))
        #expect(try DocumentLoader.load(book, limits: .standard).first?.text.utf8.count ?? 0 > 4_000_000)
    }

    @Test("reading stops one byte past the limit: a file that grows past it while read is refused")
    func boundedRead() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("grown.txt", String(repeating: "y", count: 5000))
        // The stat check saw an older, smaller size; what is read is bounded by the limit alone.
        let descriptor = open(file.path, O_RDONLY)
        defer { close(descriptor) }
        var read = 0
        #expect(throws: LoaderError.grewAboveLimit(file: file.path, limit: 1000)) {
            try RegularFile.readPieces(descriptor, path: file.path, limit: 1000) { read += $0.count }
        }
        #expect(read == 0, "nothing past the limit is handed on")
        #expect(lseek(descriptor, 0, SEEK_CUR) == 1001, "at most limit + 1 bytes are read")
        #if os(Linux)
        // /proc files say 0 bytes and hold more: the size check passes, the read refuses.
        #expect(throws: LoaderError.grewAboveLimit(file: "/proc/self/maps", limit: 10)) {
            try RegularFile.readAll("/proc/self/maps", limit: 10)
        }
        #endif
    }

    @Test("a PDF above its limit is skipped; pdftotext giving more text than the text limit is stopped")
    func pdfLimits() throws {
        let folder = try TemporaryFolder()
        let line = "The lamp turned once every thirty seconds and the keeper wound the clockwork."
        let file = try folder.write("long.pdf", MinimalPDFWriter.pdf(pages: [Array(repeating: line, count: 30)]))
        let size = Int64(try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int))
        #expect(throws: LoaderError.tooLarge(file: file.path, size: size, limit: 100)) {
            try DocumentLoader.load(file, limits: FileSizeLimits(textBytes: 1 << 20, pdfBytes: 100))
        }
        #expect(throws: LoaderError.extractedTextTooLarge(file: file.path, limit: 500)) {
            try DocumentLoader.load(file, limits: FileSizeLimits(textBytes: 500, pdfBytes: 1 << 20))
        }
        #expect(try DocumentLoader.load(file, limits: .standard).first?.text.contains("clockwork") == true)
    }

    static let sizes: [(String, Int64)] = [
        ("1048576", 1_048_576), ("10M", 10 << 20), ("10m", 10 << 20), ("10MB", 10 << 20), ("10MiB", 10 << 20),
        ("2G", 2 << 30), ("512K", 512 << 10), ("1.5G", 3 << 29), ("1T", 1 << 40),
    ]

    @Test("sizes parse as --max-file-size takes them", arguments: sizes)
    func parsesSizes(text: String, bytes: Int64) {
        #expect(FileSizeLimits.parseSize(text) == bytes)
    }

    @Test("nonsense sizes are refused", arguments: ["", "0", "M", "10X", "-5", "ten", "10iB", "1e9", "99999999999T"])
    func refusesSizes(text: String) {
        #expect(FileSizeLimits.parseSize(text) == nil)
    }

    static let descriptions: [(Int64, String)] = [
        (512, "512 bytes"), (2048, "2 KiB"), (64 << 20, "64 MiB"), (314_572_800, "300 MiB"), (3 << 29, "1.5 GiB"),
    ]

    @Test("sizes are described in binary units", arguments: descriptions)
    func describesSizes(bytes: Int64, text: String) {
        #expect(FileSizeLimits.describe(bytes) == text)
    }
}
