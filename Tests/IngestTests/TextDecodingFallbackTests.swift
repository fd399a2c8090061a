import Foundation
import Testing
import TroveTestSupport
@testable import Ingest

@Suite("Text decoding and binary detection")
struct TextDecodingFallbackTests {
    @Test("UTF-8 with a byte-order mark loses the mark")
    func utf8BOM() throws {
        let decoded = try TextDecoding.decodeReportingEncoding(Data([0xEF, 0xBB, 0xBF] + Array("Phare é".utf8)), file: "a.txt")
        #expect(decoded.text == "Phare é")
        #expect(decoded.encoding == .utf8)
    }

    @Test("invalid UTF-8 is read as Windows-1252 (Latin-1 plus curly quotes, euro, dashes)")
    func windows1252() throws {
        // "Café – “lumière” 5€" in Windows-1252.
        let bytes: [UInt8] = [0x43, 0x61, 0x66, 0xE9, 0x20, 0x96, 0x20, 0x93, 0x6C, 0x75, 0x6D, 0x69, 0xE8,
                              0x72, 0x65, 0x94, 0x20, 0x35, 0x80]
        let decoded = try TextDecoding.decodeReportingEncoding(Data(bytes), file: "latin.txt")
        #expect(decoded.text == "Café – “lumière” 5€")
        #expect(decoded.encoding == .windows1252)
    }

    @Test("a Latin-1 file loads through DocumentLoader")
    func latin1File() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("old.txt", Data([0x4E, 0x61, 0xEF, 0x76, 0x65, 0x20, 0x67, 0x61, 0x72, 0xE7, 0x6F, 0x6E]))
        #expect(try DocumentLoader.load(file).first?.text == "Naïve garçon")
    }

    @Test("UTF-16 with a byte-order mark is decoded, in both byte orders", arguments: [true, false])
    func utf16(littleEndian: Bool) throws {
        let text = "Lighthouse 灯台 🗼\nsecond line"
        var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for unit in text.utf16 {
            bytes += littleEndian ? [UInt8(unit & 0xFF), UInt8(unit >> 8)] : [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        let folder = try TemporaryFolder()
        let file = try folder.write("wide.txt", Data(bytes))
        #expect(try DocumentLoader.load(file).first?.text == text)
        #expect(try TextDecoding.decodeReportingEncoding(Data(bytes), file: "w").encoding == (littleEndian ? .utf16LittleEndian : .utf16BigEndian))
    }

    @Test("a file with NUL bytes is rejected as binary, naming the file")
    func nulBytes() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("data.txt", Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]))
        #expect(throws: LoaderError.binary(file: file.path)) { try DocumentLoader.load(file) }
    }

    @Test("many control characters without NULs are binary; tabs, form feeds and ANSI colours are not")
    func controlShare() {
        #expect(BinaryDetection.isBinary(bytes: Array(repeating: UInt8(0x01), count: 20) + Array("abc".utf8)))
        #expect(!BinaryDetection.isBinary(bytes: Array("\tcol\tcol\r\n\u{0C}\u{1B}[31mred\u{1B}[0m\n".utf8)))
        #expect(!BinaryDetection.isBinary(bytes: [UInt8]()))
    }
}
