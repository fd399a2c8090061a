import Foundation
import Testing
@testable import Ingest

/// Documents with the characters that break code which confuses Characters, UTF-16 and scalars.
let spanSamples: [LoadedDocument] = [
    LoadedDocument(path: "emoji.txt", format: .text, text: String(repeating: "The keeper 👩‍🚀 waved 🏳️‍🌈 at ships ⛵️. ", count: 60)),
    LoadedDocument(path: "cjk.txt", format: .text, text: String(repeating: "灯台守は毎晩ランプを点けた。霧の夜には霧笛を鳴らした。", count: 40)),
    LoadedDocument(path: "combining.txt", format: .text,
                   text: String(repeating: "Cafe\u{301} lumie\u{300}re, n\u{303}o\u{308}, Zalgo Z\u{364}\u{36B}\u{36E}a\u{35B}l\u{366}g\u{364}o! ", count: 80)),
    LoadedDocument(path: "mixed.md", format: .markdown, text: """
      # Title ✨

      \(String(repeating: "Paragraph text with 数字 42 and emoji 🗼🗼. Another sentence here!\n", count: 30))

      ## Section \u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}

      \(String(repeating: "word ", count: 400))
      \r\n\r\n  trailing   \t
      """),
]

@Suite("Chunk spans equal chunk text")
struct ChunkSpansMatchTextTests {
    static let chunker = Chunker(maxTokens: 64, targetTokens: 48, overlapTokens: 10, countTokens: FakeWordPieceCounter.count)

    @Test("every chunk's text is exactly the document's code points start..<end", arguments: spanSamples)
    func spans(document: LoadedDocument) {
        let scalars = Array(document.text.unicodeScalars)
        let chunks = Self.chunker.chunks(of: document.withHeadings())
        #expect(chunks.count > 1)
        for chunk in chunks {
            var slice = String.UnicodeScalarView()
            slice.append(contentsOf: scalars[chunk.start..<chunk.end])
            #expect(String(slice) == chunk.text, "chunk \(chunk.ordinal) of \(document.path)")
            #expect(chunk.text.unicodeScalars.first?.properties.isWhitespace == false)
            #expect(chunk.text.unicodeScalars.last?.properties.isWhitespace == false)
        }
        #expect(chunks.map(\.ordinal) == Array(0..<chunks.count))
    }

    @Test("chunks cover every non-whitespace code point, in order", arguments: spanSamples)
    func coverage(document: LoadedDocument) {
        let scalars = Array(document.text.unicodeScalars)
        let chunks = Self.chunker.chunks(of: document.withHeadings())
        var covered = [Bool](repeating: false, count: scalars.count)
        for chunk in chunks { for offset in chunk.start..<chunk.end { covered[offset] = true } }
        for (offset, scalar) in scalars.enumerated() where !scalar.properties.isWhitespace {
            #expect(covered[offset], "code point \(offset) (\(scalar)) of \(document.path) is in no chunk")
        }
        #expect(zip(chunks, chunks.dropFirst()).allSatisfy { $0.start < $1.start && $0.end < $1.end })
    }

    @Test("a whitespace-only document has no chunks")
    func empty() {
        #expect(Self.chunker.chunks(of: LoadedDocument(path: "e", format: .text, text: " \n\t\n")).isEmpty)
        #expect(Self.chunker.chunks(of: LoadedDocument(path: "e", format: .text, text: "")).isEmpty)
    }
}

extension LoadedDocument {
    /// The same document with its Markdown headings found (other formats unchanged).
    func withHeadings() -> LoadedDocument {
        guard format == .markdown else { return self }
        var copy = self
        copy.headings = MarkdownLoader.headings(in: text)
        return copy
    }
}
