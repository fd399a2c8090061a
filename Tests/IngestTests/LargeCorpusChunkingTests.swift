import Foundation
import Testing
import TroveTestSupport
@testable import Ingest

/// Scale checks: linear-time segmentation (the durations Swift Testing prints are the figures to
/// watch; nothing here is a timed assertion).
@Suite("Chunking at scale")
struct LargeCorpusChunkingTests {
    @Test("a 1 MB text chunks with every invariant intact")
    func oneMegabyte() {
        var text = ""
        var paragraph = 0
        while text.utf8.count < 1_000_000 {
            paragraph += 1
            text += "Paragraph \(paragraph): the lamp at Cape Lumen (灯台 🗼) was lit in 1874. It turned every 30 s!\n"
            if paragraph % 4 == 0 { text += "\n" }
        }
        let document = LoadedDocument(path: "big.txt", format: .text, text: text)
        let clock = ContinuousClock()
        var chunks: [DocumentChunk] = []
        let elapsed = clock.measure { chunks = Chunker(countTokens: FakeWordPieceCounter.count).chunks(of: document) }
        print("chunked \(text.utf8.count) bytes into \(chunks.count) chunks in \(elapsed)")
        let scalars = Array(text.unicodeScalars)
        #expect(chunks.count > 1000)
        for chunk in chunks {
            #expect(chunk.tokenCount <= 254)
            #expect(chunk.text.unicodeScalars.elementsEqual(scalars[chunk.start..<chunk.end]))
        }
        #expect(chunks.last?.end == scalars.count - 1)  // all but the final newline
    }

    @Test("the SciFact corpus loads as 5,183 records and chunks within the window")
    func sciFact() throws {
        // Beside the fixtures folder (TROVE_FIXTURES moves both, e.g. when run from a worktree).
        let file = Fixtures.fixturesFolder.deletingLastPathComponent().appendingPathComponent("datasets/scifact/corpus.jsonl")
        try Fixtures.required(file)
        let clock = ContinuousClock()
        var documents: [LoadedDocument] = []
        let loading = try clock.measure { documents = try DocumentLoader.load(file) }
        #expect(documents.count == 5183)
        let chunker = Chunker(countTokens: FakeWordPieceCounter.count)
        var chunkCount = 0
        let start = clock.now
        defer { print("SciFact: loaded \(documents.count) records in \(loading), \(chunkCount) chunks in \(clock.now - start)") }
        for document in documents {
            let chunks = chunker.chunks(of: document)
            #expect(!chunks.isEmpty, "\(document.path) has no chunks")
            chunkCount += chunks.count
            #expect(chunks.allSatisfy { $0.tokenCount <= 254 })
        }
        #expect(chunkCount >= documents.count)
    }
}
