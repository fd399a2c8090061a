import Foundation
import Testing
@testable import Ingest

@Suite("Chunk size, boundaries and overlap")
struct ChunkSizeAndBoundaryTests {
    @Test("no chunk holds more than maxTokens − 2 word pieces, by the real count",
          arguments: [(32, 24, 4), (64, 48, 10), (256, 200, 32)])
    func limit(maxTokens: Int, target: Int, overlap: Int) {
        let chunker = Chunker(maxTokens: maxTokens, targetTokens: target, overlapTokens: overlap, countTokens: FakeWordPieceCounter.count)
        let long = LoadedDocument(path: "l", format: .text, text: String(repeating: "x", count: 5_000) + " tail")
        for document in spanSamples + [long] {
            for chunk in chunker.chunks(of: document.withHeadings()) {
                #expect(FakeWordPieceCounter.count(chunk.text[...]) <= maxTokens - 2)
                #expect(chunk.tokenCount == FakeWordPieceCounter.count(chunk.text[...]))
            }
        }
    }

    @Test("cuts fall at paragraph ends when paragraphs fit")
    func paragraphs() {
        // Paragraphs of ~30 pieces; target 48 → chunks of one or two whole paragraphs.
        let paragraph = "The tower was painted with red and white bands. Its lamp burned colza oil until 1902."
        let text = (1...12).map { "\($0). \(paragraph)" }.joined(separator: "\n\n")
        let chunks = Chunker(maxTokens: 80, targetTokens: 60, overlapTokens: 0, countTokens: FakeWordPieceCounter.count)
            .chunks(of: LoadedDocument(path: "p", format: .text, text: text))
        #expect(chunks.count > 3)
        for chunk in chunks {
            #expect(chunk.text.hasSuffix("until 1902."))
            #expect(chunk.text.first?.isNumber == true)
        }
    }

    @Test("without paragraph breaks, cuts fall at sentence ends")
    func sentences() {
        let sentences = (1...40).map { "Sentence number \($0) tells of lamps and lenses and keepers." }.joined(separator: " ")
        let chunks = Chunker(maxTokens: 64, targetTokens: 48, overlapTokens: 0, countTokens: FakeWordPieceCounter.count)
            .chunks(of: LoadedDocument(path: "s", format: .text, text: sentences))
        #expect(chunks.count > 3)
        for chunk in chunks {
            #expect(chunk.text.hasPrefix("Sentence number"))
            #expect(chunk.text.hasSuffix("keepers."))
        }
    }

    @Test("a 5,000-character single word is split into pieces, nothing dropped")
    func longWord() {
        let word = String(repeating: "abcdefghij", count: 500)
        let text = "Before. \(word) After."
        let chunks = Chunker(maxTokens: 64, targetTokens: 48, overlapTokens: 8, countTokens: FakeWordPieceCounter.count)
            .chunks(of: LoadedDocument(path: "w", format: .text, text: text))
        #expect(chunks.count > 10)
        // Rebuild the word from non-overlapping spans: every character accounted for.
        var rebuilt = "", end = 0
        let scalars = Array(text.unicodeScalars)
        for chunk in chunks where chunk.end > end {
            let from = max(chunk.start, end)
            rebuilt.unicodeScalars.append(contentsOf: scalars[from..<chunk.end])
            end = chunk.end
        }
        #expect(rebuilt.contains(word))
        #expect(rebuilt.hasPrefix("Before.") && rebuilt.hasSuffix("After."))
    }

    @Test("an over-long word of emoji is split between grapheme clusters")
    func longEmojiWord() {
        let word = String(repeating: "👩‍🚀", count: 120)  // 3 scalars each
        let chunks = Chunker(maxTokens: 32, targetTokens: 24, overlapTokens: 0, countTokens: FakeWordPieceCounter.count)
            .chunks(of: LoadedDocument(path: "e", format: .text, text: word))
        #expect(chunks.count > 1)
        for chunk in chunks { #expect(chunk.text.allSatisfy { $0 == "👩‍🚀" }) }
        #expect(chunks.map(\.text).joined() == word)
    }

    @Test("consecutive chunks overlap, starting at a sentence start when one fits")
    func overlap() {
        let sentences = (1...60).map { "Fact \($0) is short." }.joined(separator: " ")
        let chunks = Chunker(maxTokens: 64, targetTokens: 48, overlapTokens: 12, countTokens: FakeWordPieceCounter.count)
            .chunks(of: LoadedDocument(path: "o", format: .text, text: sentences))
        #expect(chunks.count > 3)
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            #expect(next.start < previous.end, "chunks \(previous.ordinal) and \(next.ordinal) do not overlap")
            #expect(next.text.hasPrefix("Fact "))
            let shared = String(previous.text.unicodeScalars.suffix(previous.end - next.start))
            #expect(FakeWordPieceCounter.count(shared[...]) <= 12)
            #expect(next.text.hasPrefix(shared))
        }
    }

    @Test("no overlap across a Markdown heading or a PDF page")
    func noOverlapAcrossSections() {
        let body = String(repeating: "Light flashes every ten seconds. ", count: 20)
        let text = "# One\n\n\(body)\n\n# Two\n\n\(body)"
        let document = LoadedDocument(path: "m.md", format: .markdown, text: text, headings: MarkdownLoader.headings(in: text))
        let chunks = Chunker(maxTokens: 64, targetTokens: 48, overlapTokens: 12, countTokens: FakeWordPieceCounter.count).chunks(of: document)
        let second = chunks.firstIndex { $0.text.hasPrefix("# Two") }
        #expect(second != nil)
        if let second, second > 0 { #expect(chunks[second - 1].end <= chunks[second].start) }
    }
}

@Suite("Heading lines in plain text")
struct HeadingLinesStayWithTextTests {
    @Test("a short title line before a blank line starts the next chunk instead of ending the previous one")
    func titleLines() {
        let body = "The siren sounded twice a minute in thick weather. Its engines took long to start."
        let text = (1...8).map { "Section \($0)\n\n\(body) \(body)" }.joined(separator: "\n\n")
        let chunks = Chunker(maxTokens: 80, targetTokens: 60, overlapTokens: 12, countTokens: FakeWordPieceCounter.count)
            .chunks(of: LoadedDocument(path: "t.txt", format: .text, text: text))
        #expect(chunks.count > 3)
        for chunk in chunks {
            #expect(chunk.text.hasSuffix("to start."), "chunk \(chunk.ordinal) ends with \(chunk.text.suffix(20))")
        }
        // After a paragraph end, the overlap is a whole sentence or nothing.
        for chunk in chunks.dropFirst() { #expect(chunk.text.hasPrefix("Section") || chunk.text.hasPrefix("Its engines")) }
    }

    @Test("in code, blank lines after short lines stay paragraph ends and overlap starts at a line")
    func codeLines() {
        let function = "func f() {\n    let x = 1\n    return x + 2\n}"
        let text = (1...12).map { _ in function }.joined(separator: "\n\n")
        let chunks = Chunker(maxTokens: 48, targetTokens: 36, overlapTokens: 8, countTokens: FakeWordPieceCounter.count)
            .chunks(of: LoadedDocument(path: "f.swift", format: .code, text: text))
        #expect(chunks.count > 3)
        for chunk in chunks {
            #expect(chunk.text.hasPrefix("func f()"))
            #expect(chunk.text.hasSuffix("}"))
        }
    }
}
