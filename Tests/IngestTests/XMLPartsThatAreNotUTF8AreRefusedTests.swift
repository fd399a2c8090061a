import Foundation
import Testing
import TroveTestSupport
@testable import Ingest

/// Found by the `docx`, `odt`, `pptx`, `epub` and `zip` fuzz targets (their inputs are in
/// Fuzz/Regressions/<target>/xmlPartsThatAreNotUTF8AreRefused): one byte that is not UTF-8 in an
/// element or attribute name crashed the process inside Foundation's `XMLParser`, which
/// force-unwraps names as UTF-8. Such a part is now refused before parsing, naming it.
@Suite("XML parts that are not UTF-8 are refused")
struct XMLPartsThatAreNotUTF8AreRefusedTests {
    /// Each format's main part, with a byte that is not UTF-8 in a name (from the fuzzer's inputs).
    static let cases: [(name: String, part: String, xml: String)] = [
        ("report.docx", "word/document.xml",
         #"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p NAME="x"><w:r><w:t>Hi</w:t></w:r></w:p></w:body></w:document>"#),
        ("report.odt", "content.xml",
         #"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"><NAME/></office:document-content>"#),
    ]

    @Test("an element or attribute name with a byte that is not UTF-8", arguments: [0, 1])
    func invalidByteInName(index: Int) throws {
        let (name, part, xml) = Self.cases[index]
        var bytes = Array(xml.replacingOccurrences(of: "NAME", with: "style__tyle").utf8)
        let at = bytes.firstIndex(of: UInt8(ascii: "_"))!
        bytes[at] = 0xFF
        bytes[at + 1] = 0xFF
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent(name)
        try ZipFixtureWriter.archive(at: file, entries: [(part, Data(bytes))])
        let error = try BrokenArchivesAreRefusedTests.loaderError(file)
        guard case let .malformedDocument(_, refusedPart, problem) = error else { Issue.record("got \(error)"); return }
        #expect(refusedPart == part)
        #expect(problem == "is not UTF-8 (an invalid byte at offset \(at)); the zip-based formats are UTF-8 or UTF-16")
    }

    @Test("UTF-8 with a byte-order mark, and UTF-16, still parse")
    func byteOrderMarks() throws {
        let xml = #"<?xml version="1.0"?><a><b>é</b></a>"#
        let utf8 = Data([0xEF, 0xBB, 0xBF]) + Data(xml.utf8)
        #expect(try XMLTree(parsing: utf8, part: "p.xml", file: "f").root.elements.count == 1)
        let utf16 = xml.replacingOccurrences(of: #"<?xml version="1.0"?>"#, with: #"<?xml version="1.0" encoding="UTF-16"?>"#)
            .data(using: .utf16LittleEndian)!
        #expect(try XMLTree(parsing: Data([0xFF, 0xFE]) + utf16, part: "p.xml", file: "f").root.elements.count == 1)
        #expect(XMLTree.firstInvalidUTF8Byte(Data("caf\u{E9} \u{1F999}".utf8)) == nil)
        #expect(XMLTree.firstInvalidUTF8Byte(Data([0x61, 0x62, 0xC3])) == 2)   // cut in the middle of a character
    }

    /// (FuzzInputsReplayWithoutCrashingTests runs them through their targets, the `zip` one too.)
    @Test("the fuzzer's main parts are found not to be UTF-8", arguments: ["docx", "odt", "pptx", "epub"])
    func fuzzInputs(target: String) throws {
        let url = Fixtures.repositoryRoot.appendingPathComponent("Fuzz/Regressions/\(target)/xmlPartsThatAreNotUTF8AreRefused")
        #expect(XMLTree.firstInvalidUTF8Byte(try Fixtures.required(url)) != nil)
    }
}
