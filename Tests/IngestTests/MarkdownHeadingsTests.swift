import Foundation
import Testing
import TroveTestSupport
@testable import Ingest

@Suite("Markdown headings")
struct MarkdownHeadingsTests {
    static let sample = """
    # Lamps of the Coast 🗼

    Intro paragraph.

    ## Lenses ##
    Fresnel's lens, 1822.

    ```
    # not a heading inside a fence
    ```

    ### First order
    Text.

    Setext Title
    ------------

    #hashtag is not a heading
        # indented code is not a heading
    """

    @Test("ATX and setext headings with levels, titles and code-point offsets; fenced code ignored")
    func headings() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("lamps.md", Self.sample)
        let document = try #require(try DocumentLoader.load(file).first)
        #expect(document.format == .markdown)
        #expect(document.text == Self.sample)
        #expect(document.title == "Lamps of the Coast 🗼")
        #expect(document.headings.map(\.title) == ["Lamps of the Coast 🗼", "Lenses", "First order", "Setext Title"])
        #expect(document.headings.map(\.level) == [1, 2, 3, 2])
        let scalars = Array(document.text.unicodeScalars)
        for heading in document.headings {
            let lineStart = String(String.UnicodeScalarView(scalars[heading.offset...].prefix(while: { $0 != "\n" })))
            #expect(lineStart.contains(heading.title))
            #expect(heading.offset == 0 || scalars[heading.offset - 1] == "\n")
        }
    }

    @Test("CRLF line endings give the same headings and correct offsets")
    func crlf() {
        let text = "# One\r\n\r\nBody 😀\r\n## Two\r\n"
        let headings = MarkdownLoader.headings(in: text)
        #expect(headings.map(\.title) == ["One", "Two"])
        #expect(headings.last?.offset == Array(text.unicodeScalars).count - "## Two\r\n".unicodeScalars.count)
    }

    @Test("chunks carry the heading path open at their start")
    func headingPaths() throws {
        let paragraph = String(repeating: "The keeper trimmed the wick and polished the brass. ", count: 12)
        let text = "# Guide\n\n\(paragraph)\n\n## Lamps\n\n\(paragraph)\n\n### Oil\n\n\(paragraph)\n\n## Lenses\n\n\(paragraph)\n"
        let document = LoadedDocument(path: "g.md", format: .markdown, title: "Guide", text: text,
                                      headings: MarkdownLoader.headings(in: text))
        let chunks = Chunker(maxTokens: 128, targetTokens: 100, overlapTokens: 16, countTokens: FakeWordPieceCounter.count).chunks(of: document)
        let paths = chunks.compactMap(\.headingPath)
        #expect(paths.count == chunks.count)
        #expect(Set(paths) == ["Guide", "Guide > Lamps", "Guide > Lamps > Oil", "Guide > Lenses"])
        for chunk in chunks where chunk.text.hasPrefix("#") {
            #expect(chunk.headingPath?.hasSuffix(chunk.text.split(separator: "\n")[0].drop(while: { $0 == "#" || $0 == " " })) == true)
        }
    }
}
