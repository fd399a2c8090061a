import Foundation
import Testing
import TroveTestSupport
@testable import Ingest

/// The pandoc-made documents (Fixtures/OfficeDocuments, made from lighthouses.md and slides.md)
/// read back as their Markdown says: text in reading order, headings as heading paths, slides as
/// pages, chapters as anchors.
@Suite("DOCX, ODT, PPTX and EPUB loading")
struct OfficeDocumentsLoadTests {
    /// What lighthouses.md holds, in reading order: the title block, then every paragraph, the
    /// table's rows and the list's items.
    static let lighthousesInOrder = [
        "The Keeper’s Handbook", "Lamps", "The first lamp burned whale oil and smoked the glass every night.",
        "Fresnel lenses", "A Fresnel lens bends the light of one small flame into a beam seen twenty miles out.",
        "Order", "Focal length", "First", "920 mm", "Sixth", "150 mm",
        "Cleaning", "Wipe the prisms with linen.", "Never touch the glass with bare hands.",
        "Logbooks", "Every keeper wrote the weather, the ships passed and the oil burned.",
        "Storms", "During the gale of 1874 the keeper wound the clockwork by hand until dawn.",
    ]

    /// Each passage of lighthouses.md and the heading path its chunk must carry.
    static let lighthousesSections = [
        ("whale oil", "Lamps"),
        ("twenty miles out", "Lamps > Fresnel lenses"),
        ("920 mm", "Lamps > Fresnel lenses"),
        ("Wipe the prisms", "Lamps > Fresnel lenses > Cleaning"),
        ("ships passed", "Logbooks"),
        ("clockwork", "Logbooks > Storms"),
    ]

    static func chunks(of document: LoadedDocument) -> [DocumentChunk] {
        Chunker(maxTokens: 64, targetTokens: 40, overlapTokens: 8, countTokens: FakeWordPieceCounter.count).chunks(of: document)
    }

    @Test("lighthouses.docx, .odt and .epub give the Markdown's text in reading order and its title",
          arguments: ["docx", "odt", "epub"])
    func readingOrder(format: String) throws {
        let document = try #require(try DocumentLoader.load(try ZipFixtureWriter.fixture("lighthouses.\(format)")).first)
        #expect(document.format.rawValue == format)
        #expect(document.title == "The Keeper’s Handbook")
        var searchFrom = document.text.startIndex
        for piece in Self.lighthousesInOrder {
            let found = document.text.range(of: piece, range: searchFrom..<document.text.endIndex)
            #expect(found != nil, "'\(piece)' missing or out of order in \(format): \(document.text)")
            if let found { searchFrom = found.upperBound }
        }
    }

    @Test("the Word and OpenDocument text is the paragraphs separated by blank lines, a table row per line",
          arguments: ["docx", "odt"])
    func exactText(format: String) throws {
        let document = try #require(try DocumentLoader.load(try ZipFixtureWriter.fixture("lighthouses.\(format)")).first)
        #expect(document.text == """
            The Keeper’s Handbook

            Trove test fixtures

            Lamps

            The first lamp burned whale oil and smoked the glass every night.

            Colza oil, pressed from rapeseed, replaced it after 1845.

            Fresnel lenses

            A Fresnel lens bends the light of one small flame into a beam seen twenty miles out.

            Order\tFocal length
            First\t920 mm
            Sixth\t150 mm

            Cleaning

            Wipe the prisms with linen.

            Never touch the glass with bare hands.

            Logbooks

            Every keeper wrote the weather, the ships passed and the oil burned.

            Storms

            During the gale of 1874 the keeper wound the clockwork by hand until dawn.
            """)
        #expect(Self.chunks(of: document).first { $0.text.contains("Colza oil") }?.headingPath == "Lamps",
                "a footnote keeps the heading path of the paragraph that refers to it")
        #expect(document.headings.map(\.title) == ["Lamps", "Fresnel lenses", "Cleaning", "Logbooks", "Storms"])
        #expect(document.headings.map(\.level) == [1, 2, 3, 1, 2])
        let scalars = Array(document.text.unicodeScalars)
        for heading in document.headings {
            let at = String(String.UnicodeScalarView(scalars[heading.offset..<(heading.offset + heading.title.unicodeScalars.count)]))
            #expect(at == heading.title, "heading offset \(heading.offset) does not point at '\(heading.title)'")
        }
    }

    @Test("each passage's chunk carries its heading path", arguments: ["docx", "odt", "epub"])
    func headingPaths(format: String) throws {
        let document = try #require(try DocumentLoader.load(try ZipFixtureWriter.fixture("lighthouses.\(format)")).first)
        let chunks = Self.chunks(of: document)
        for (passage, path) in Self.lighthousesSections {
            let chunk = try #require(chunks.first { $0.text.contains(passage) }, "no chunk holds '\(passage)' in \(format)")
            #expect(chunk.headingPath == path, "'\(passage)' in \(format)")
            #expect(chunk.page == nil)
        }
    }

    @Test("an EPUB chunk's anchor is its chapter file and the id in force")
    func epubChapters() throws {
        let document = try #require(try DocumentLoader.load(try ZipFixtureWriter.fixture("lighthouses.epub")).first)
        let chunks = Self.chunks(of: document)
        let anchor = { (passage: String) in chunks.first { $0.text.contains(passage) }?.anchor }
        #expect(anchor("whale oil") == "text/ch001.xhtml#lamps")
        #expect(anchor("Wipe the prisms") == "text/ch001.xhtml#cleaning")
        #expect(anchor("clockwork") == "text/ch002.xhtml#storms")
        // pandoc puts a chapter's footnotes at its end: read there, before the next chapter.
        let note = try #require(document.text.range(of: "Colza oil, pressed from rapeseed, replaced it after 1845."))
        #expect(try #require(document.text.range(of: "Never touch the glass")).upperBound < note.lowerBound)
        #expect(note.upperBound < (try #require(document.text.range(of: "Logbooks"))).lowerBound)
        let logbooks = try #require(document.headings.first { $0.title == "Logbooks" })
        #expect(document.anchors.contains(TextAnchor(offset: logbooks.offset, id: "text/ch002.xhtml")))
    }

    @Test("page breaks in a Word or OpenDocument file make its pages, one inside a paragraph too",
          arguments: ["pages.docx", "pages.odt"])
    func pages(name: String) throws {
        let document = try #require(try DocumentLoader.load(try ZipFixtureWriter.fixture(name)).first)
        #expect(document.pageStarts.count == 3)
        #expect(document.pageStarts.first == 0)
        let scalars = Array(document.text.unicodeScalars)
        let page = { (n: Int) -> String in
            let end = n < document.pageStarts.count ? document.pageStarts[n] : scalars.count
            return String(String.UnicodeScalarView(scalars[document.pageStarts[n - 1]..<end]))
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(page(1) == "Winter\n\nThe supply boat came once a month when the sea allowed.")
        #expect(page(2) == "Spring\n\nGulls nested on the gallery rail and the keeper painted the tower white.\n\nSummer visitors climbed all")
        #expect(page(3) == "one hundred and twelve steps.")
        let chunks = Self.chunks(of: document)
        for (passage, number) in [("supply boat", 1), ("Gulls nested", 2), ("twelve steps", 3)] {
            #expect(chunks.first { $0.text.contains(passage) }?.page == number, "'\(passage)'")
        }
    }

    @Test("a page break typed in LibreOffice (a paragraph style breaking before) starts a page")
    func openDocumentTypedBreak() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("typed.odt")
        let content = """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" \
            xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3">
             <office:automatic-styles>
              <style:style style:name="P1" style:family="paragraph" style:parent-style-name="Standard">
               <style:paragraph-properties fo:break-before="page"/>
              </style:style>
              <style:style style:name="P2" style:family="paragraph" style:parent-style-name="P1"/>
             </office:automatic-styles>
             <office:body><office:text>
              <text:p text:style-name="Standard">First page.</text:p>
              <text:p text:style-name="P1">Second page.</text:p>
              <text:p text:style-name="P2">Third page, by inheritance.</text:p>
             </office:text></office:body>
            </office:document-content>
            """
        try ZipFixtureWriter.archive(at: file, entries: [("content.xml", Data(content.utf8))])
        let document = try #require(try DocumentLoader.load(file).first)
        #expect(document.text == "First page.\n\nSecond page.\n\nThird page, by inheritance.")
        #expect(document.pageStarts == [0, 13, 27])
    }

    @Test("slides.pptx gives one page per slide, each slide's title as its heading, its notes after it, the deck's title")
    func slides() throws {
        let document = try #require(try DocumentLoader.load(try ZipFixtureWriter.fixture("slides.pptx")).first)
        #expect(document.format == .pptx)
        #expect(document.title == "Signal Towers")
        #expect(document.pageStarts.count == 4)
        #expect(document.headings.map(\.title) == ["Signal Towers", "Semaphore", "Heliograph", "Telegraph"])
        #expect(document.headings.map(\.offset) == document.pageStarts)
        #expect(document.text.contains("""
            Heliograph

            A heliograph flashes sunlight with a mirror; Morse code rides on the flashes.
            Range in clear air: fifty kilometres
            Useless under clouds

            Mention the British Army used heliographs on the North-West Frontier until the 1930s.

            Telegraph
            """))
        let chunks = Self.chunks(of: document)
        let expected = [("Trove test fixtures", 1, "Signal Towers"), ("fifteen kilometres", 2, "Semaphore"),
                        ("Morse code", 3, "Heliograph"), ("North-West Frontier", 3, "Heliograph"), ("1850", 4, "Telegraph")]
        for (passage, slide, title) in expected {
            let chunk = try #require(chunks.first { $0.text.contains(passage) }, "no chunk holds '\(passage)'")
            #expect(chunk.page == slide, "'\(passage)'")
            #expect(chunk.headingPath == title, "'\(passage)'")
        }
    }

    @Test("a document.xml of 12 MB on one line, as Word writes a long book, loads whole")
    func largePart() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("long.docx")
        let formatting = String(repeating: "<w:r><w:rPr><w:b/><w:i/></w:rPr><w:t xml:space=\"preserve\"></w:t></w:r>", count: 45)
        var xml = #"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#
        for n in 1...4000 { xml += "<w:p>\(formatting)<w:r><w:t>Paragraph \(n) of the log.</w:t></w:r></w:p>" }
        xml += "</w:body></w:document>"
        #expect(xml.utf8.count > 12_000_000)
        try ZipFixtureWriter.archive(at: file, entries: [("word/document.xml", Data(xml.utf8))])
        let document = try #require(try DocumentLoader.load(file).first)
        #expect(document.text.hasPrefix("Paragraph 1 of the log.\n\nParagraph 2 of the log."))
        #expect(document.text.hasSuffix("Paragraph 4000 of the log."))
    }

    @Test("the new formats are chosen by extension and filtered by name")
    func formatsByExtension() {
        for format in ["docx", "odt", "pptx", "epub"] {
            #expect(DocumentLoader.format(of: URL(fileURLWithPath: "/x/Report.\(format.uppercased())"))?.rawValue == format)
        }
        #expect(FileSizeLimits.standard.bytes(for: .epub) == 512 << 20)
        #expect(FileSizeLimits(allFormats: 4096).bytes(for: .docx) == 4096)
    }
}
