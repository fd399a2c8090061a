import Foundation
import Testing
import TroveTestSupport
@testable import Ingest

/// Zip-based documents broken in each way a real one can be: each is refused with an error naming
/// the file and the problem, never a crash, and an ingest goes on with the other files.
@Suite("Corrupt, encrypted and over-large zip documents")
struct BrokenArchivesAreRefusedTests {
    /// The error loading `file` throws, as a ``LoaderError`` (anything else fails the test).
    static func loaderError(_ file: URL, limits: FileSizeLimits = .standard) throws -> LoaderError {
        do {
            _ = try DocumentLoader.load(file, limits: limits)
        } catch let error as LoaderError {
            #expect(error.file == file.path)
            return error
        }
        throw UnexpectedSuccess(file: file.path)
    }

    struct UnexpectedSuccess: Error, CustomStringConvertible {
        let file: String
        var description: String { "\(file) loaded, but it should have been refused" }
    }

    @Test("a truncated document is a corrupt archive", arguments: ["lighthouses.docx", "lighthouses.odt", "slides.pptx", "lighthouses.epub"])
    func truncated(name: String) throws {
        let folder = try TemporaryFolder()
        let whole = try Data(contentsOf: try ZipFixtureWriter.fixture(name))
        let file = try folder.write(name, whole.prefix(whole.count / 2))
        let error = try Self.loaderError(file)
        guard case let .corruptArchive(_, problem) = error else { Issue.record("got \(error)"); return }
        #expect(problem.contains("truncated"))
        #expect(error.description.hasPrefix(file.path + ": is not a readable zip archive"))
    }

    @Test("a text file named .docx is a corrupt archive")
    func notAZip() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("notes.docx", "just some text, not a zip at all\n")
        guard case .corruptArchive = try Self.loaderError(file) else { Issue.record("not corruptArchive"); return }
    }

    @Test("a document zipped again with a password (zip -P) is reported as encrypted")
    func zipPassword() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("locked.docx")
        try ZipFixtureWriter.passwordProtectedCopy(of: try ZipFixtureWriter.fixture("lighthouses.docx"), at: file)
        let error = try Self.loaderError(file)
        guard case let .encrypted(_, detail) = error else { Issue.record("got \(error)"); return }
        #expect(detail.contains("password-protected zip"))
        #expect(detail.contains("entries are encrypted, the first '"), "detail: \(detail)")
        #expect(error.problem.hasPrefix("is encrypted"))
    }

    @Test("an Office file saved with a password (an OLE compound file) is reported as encrypted")
    func officePassword() throws {
        let folder = try TemporaryFolder()
        let header: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        let file = try folder.write("budget.pptx", Data(header + [UInt8](repeating: 0, count: 504)))
        guard case let .encrypted(_, detail) = try Self.loaderError(file) else { Issue.record("not encrypted"); return }
        #expect(detail.contains("password-protected Office document"))
    }

    @Test("an OpenDocument file whose manifest says content.xml is encrypted is reported as encrypted")
    func openDocumentPassword() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("diary.odt")
        let manifest = """
            <?xml version="1.0" encoding="UTF-8"?>
            <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
             <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
             <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="3000">
              <manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA">
               <manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>
              </manifest:encryption-data>
             </manifest:file-entry>
            </manifest:manifest>
            """
        try ZipFixtureWriter.archive(at: file, entries: [
            ("mimetype", Data("application/vnd.oasis.opendocument.text".utf8)),
            ("META-INF/manifest.xml", Data(manifest.utf8)),
            ("content.xml", Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })),
        ])
        guard case let .encrypted(_, detail) = try Self.loaderError(file) else { Issue.record("not encrypted"); return }
        #expect(detail.contains("OpenDocument file saved with a password"))
    }

    @Test("an EPUB whose chapter encryption.xml lists (DRM) is reported as encrypted; obfuscated fonts are not")
    func epubDRM() throws {
        let folder = try TemporaryFolder()
        let container = """
            <?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
            <rootfiles><rootfile full-path="OEBPS/book.opf" media-type="application/oebps-package+xml"/></rootfiles></container>
            """
        let package = """
            <?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata/>
            <manifest><item id="c1" href="chapter%201.xhtml" media-type="application/xhtml+xml"/>
            <item id="f" href="font.otf" media-type="font/otf"/></manifest>
            <spine><itemref idref="c1"/></spine></package>
            """
        let chapter = "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><h1>Lamps</h1><p>Whale oil.</p></body></html>"
        func encryption(_ uri: String) -> String {
            """
            <?xml version="1.0"?><encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" \
            xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>\
            <enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>\
            <enc:CipherData><enc:CipherReference URI="\(uri)"/></enc:CipherData></enc:EncryptedData></encryption>
            """
        }
        for (name, listed) in [("locked.epub", "OEBPS/chapter%201.xhtml"), ("fonts.epub", "OEBPS/font.otf")] {
            let file = folder.url.appendingPathComponent(name)
            try ZipFixtureWriter.archive(at: file, entries: [
                ("mimetype", Data("application/epub+zip".utf8)), ("META-INF/container.xml", Data(container.utf8)),
                ("META-INF/encryption.xml", Data(encryption(listed).utf8)), ("OEBPS/book.opf", Data(package.utf8)),
                ("OEBPS/chapter 1.xhtml", Data(chapter.utf8)),
            ])
            if name == "locked.epub" {
                guard case let .encrypted(_, detail) = try Self.loaderError(file) else { Issue.record("not encrypted"); continue }
                #expect(detail.contains("EPUB under DRM") && detail.contains("OEBPS/chapter 1.xhtml"), "detail: \(detail)")
            } else {
                let document = try #require(try DocumentLoader.load(file).first)
                #expect(document.text == "Lamps\n\nWhale oil.")
                #expect(document.title == "Lamps")
            }
        }
    }

    @Test("a zip bomb (80 MiB of zeros in a small file) is refused at the 64 MiB limit for text")
    func zipBomb() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("bomb.docx")
        try ZipFixtureWriter.bomb(at: file, entry: "word/document.xml", bytes: 80 << 20)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int)
        #expect(size < 1 << 20, "the bomb should be small on disk, is \(size) bytes")
        let error = try Self.loaderError(file)
        guard case let .decompressedTooLarge(_, part, limit) = error else { Issue.record("got \(error)"); return }
        #expect(part == "word/document.xml")
        #expect(limit == 64 << 20)
        #expect(error.problem.contains("zip bomb"))
    }

    @Test("a deflate stream that never ends within its entry is refused, not read forever")
    func deflateWithoutEnd() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("endless.docx")
        // One stored deflate block that is not marked final: the stream goes on past the entry.
        let xml = Data(Self.documentXML.utf8)
        let block = Data([0x00, UInt8(xml.count & 0xFF), UInt8(xml.count >> 8), ~UInt8(xml.count & 0xFF), ~UInt8(xml.count >> 8)]) + xml
        try HandWrittenZip.write(at: file, entries: [.init(path: "word/document.xml", method: 8, data: block, content: xml)])
        let error = try Self.loaderError(file)
        guard case let .corruptArchive(_, problem) = error else { Issue.record("got \(error)"); return }
        #expect(problem == "damaged data: the deflate stream does not end within the entry in 'word/document.xml'")
        // The fuzzed .odt that once hung ingest (ZIPFoundation's inflate asked for input forever).
        let fuzzed = Fixtures.repositoryRoot.appendingPathComponent("Fuzz/Regressions/zip/deflateStreamsThatNeverEndAreRefused")
        let odt = try folder.write("pages.odt", try Data(contentsOf: fuzzed))
        guard case .corruptArchive = try Self.loaderError(odt) else { Issue.record("the fuzzed .odt was not refused"); return }
    }

    @Test("ZIP64 directories are read; entries pointing outside the file are refused")
    func zip64AndBadOffsets() throws {
        let folder = try TemporaryFolder()
        let xml = Data(Self.documentXML.utf8)
        let finalBlock = Data([0x01, UInt8(xml.count & 0xFF), UInt8(xml.count >> 8), ~UInt8(xml.count & 0xFF), ~UInt8(xml.count >> 8)]) + xml
        for (name, zip64) in [("plain.docx", false), ("wide.docx", true)] {
            let file = folder.url.appendingPathComponent(name)
            try HandWrittenZip.write(at: file, entries: [.init(path: "word/document.xml", method: 8, data: finalBlock, content: xml)], zip64: zip64)
            let document = try #require(try DocumentLoader.load(file).first)
            #expect(document.text == "The keeper wound the clockwork.")
        }
        let stored = folder.url.appendingPathComponent("stored.docx")
        try HandWrittenZip.write(at: stored, entries: [.init(path: "word/document.xml", method: 0, data: xml, content: xml)])
        #expect(try DocumentLoader.load(stored).first?.text == "The keeper wound the clockwork.")

        let moved = folder.url.appendingPathComponent("moved.docx")
        try HandWrittenZip.write(at: moved, entries: [.init(path: "word/document.xml", method: 0, data: xml, content: xml)], localHeaderShift: 1 << 20)
        guard case let .corruptArchive(_, problem) = try Self.loaderError(moved) else { Issue.record("not refused"); return }
        #expect(problem == "no local header where the directory says in 'word/document.xml'")

        let damaged = folder.url.appendingPathComponent("damaged.docx")
        try HandWrittenZip.write(at: damaged, entries: [.init(path: "word/document.xml", method: 0, data: xml, content: Data("other".utf8))])
        guard case let .corruptArchive(_, checksum) = try Self.loaderError(damaged) else { Issue.record("not refused"); return }
        #expect(checksum == "checksum mismatch in 'word/document.xml'")
    }

    static let documentXML = """
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>\
        <w:t>The keeper wound the clockwork.</w:t></w:r></w:p></w:body></w:document>
        """

    @Test("the parts read count together: a book of chapters past the limit is refused")
    func budgetAcrossParts() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("book.epub", try Data(contentsOf: try ZipFixtureWriter.fixture("lighthouses.epub")))
        // container.xml and the package document fit in 3 KB; the chapters do not.
        let error = try Self.loaderError(file, limits: FileSizeLimits(textBytes: 3000, pdfBytes: 1 << 20, archiveBytes: 1 << 20))
        guard case let .decompressedTooLarge(_, part, limit) = error else { Issue.record("got \(error)"); return }
        #expect(part.hasPrefix("EPUB/text/"))
        #expect(limit == 3000)
    }

    @Test("malformed XML and entity declarations are refused naming the part", arguments: [
        ("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p>", "not well-formed XML"),
        ("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><d>&b;</d>", "entities"),
    ])
    func malformedXML(xml: String, problem: String) throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("broken.docx")
        try ZipFixtureWriter.archive(at: file, entries: [("word/document.xml", Data(xml.utf8))])
        let error = try Self.loaderError(file)
        guard case let .malformedDocument(_, part, found) = error else { Issue.record("got \(error)"); return }
        #expect(part == "word/document.xml")
        #expect(found.contains(problem), "problem was: \(found)")
    }

    @Test("entity declarations are refused in UTF-16 too")
    func entitiesInUTF16() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("laughs.odt")
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE d [<!ENTITY a \"ha\">]><d>&a;</d>"
        let utf16 = Data([0xFF, 0xFE] + xml.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        try ZipFixtureWriter.archive(at: file, entries: [("content.xml", utf16)])
        guard case let .malformedDocument(_, part, problem) = try Self.loaderError(file) else { Issue.record("not refused"); return }
        #expect(part == "content.xml")
        #expect(problem.contains("entities"))
    }

    @Test("an archive without the format's main part says which part is missing")
    func missingPart() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("empty.epub")
        try ZipFixtureWriter.archive(at: file, entries: [("mimetype", Data("application/epub+zip".utf8))])
        let error = try Self.loaderError(file)
        #expect(error == .malformedDocument(file: file.path, part: "META-INF/container.xml", problem: "is missing from the archive"))
    }

    @Test("an ingest skips the broken documents with their reasons and indexes the rest")
    func ingestGoesOn() throws {
        let fixture = try IngestFixture()
        let good = try Data(contentsOf: try ZipFixtureWriter.fixture("lighthouses.docx"))
        try fixture.folder.write("corpus/handbook.docx", good)
        try fixture.folder.write("corpus/truncated.odt", try Data(contentsOf: try ZipFixtureWriter.fixture("lighthouses.odt")).prefix(2000))
        try ZipFixtureWriter.passwordProtectedCopy(of: try ZipFixtureWriter.fixture("slides.pptx"),
                                                   at: fixture.corpus.appendingPathComponent("locked.pptx"))
        try ZipFixtureWriter.bomb(at: fixture.corpus.appendingPathComponent("bomb.epub"), entry: "META-INF/container.xml", bytes: 80 << 20)
        try fixture.write("notes.txt", "the keeper trimmed the wick")
        let report = try fixture.ingest()
        #expect(report.added == 2)
        let reasons = Dictionary(uniqueKeysWithValues: report.skipped.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0.reason) })
        #expect(reasons.keys.sorted() == ["bomb.epub", "locked.pptx", "truncated.odt"])
        #expect(reasons["truncated.odt"]?.contains("not a readable zip archive") == true)
        #expect(reasons["locked.pptx"]?.contains("is encrypted") == true)
        #expect(reasons["bomb.epub"]?.contains("zip bomb") == true)
        #expect(try fixture.storedPaths() == ["handbook.docx", "notes.txt"])
        #expect(try fixture.database.keywordSearch("clockwork", limit: 5).count == 1)
        try fixture.expectConsistent()
    }
}
