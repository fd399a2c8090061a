import Foundation
import Testing
@testable import Trove

/// Chunk results grouped by document: a document scores as its best chunk and contributes at most
/// `passagesPerDocument` passages.
struct DocumentGroupingKeepsBestChunkTests {
    // Document "long" has five chunks (0.9, 0.8, 0.7, 0.2, 0.1); "short" one chunk 0.85; "tie" one chunk 0.8.
    static let chunks: [ScoredChunk<Int, String>] = [
        .init(chunk: 14, document: "long", score: 0.1), .init(chunk: 10, document: "long", score: 0.9),
        .init(chunk: 20, document: "short", score: 0.85), .init(chunk: 11, document: "long", score: 0.8),
        .init(chunk: 30, document: "tie", score: 0.8), .init(chunk: 12, document: "long", score: 0.7),
        .init(chunk: 13, document: "long", score: 0.2),
    ]

    @Test("documents ordered by their best chunk, passages capped and best first")
    func groupsAndCaps() {
        let documents = DocumentGrouping.group(Self.chunks, passagesPerDocument: 2)
        #expect(documents.map(\.document) == ["long", "short", "tie"])
        #expect(documents.map(\.score) == [0.9, 0.85, 0.8])
        #expect(documents[0].passages.map(\.chunk) == [10, 11])
        #expect(documents[1].passages.map(\.chunk) == [20])
    }

    @Test("five chunks do not beat one better chunk: scoring is max, not sum")
    func maxNotSum() {
        let chunks: [ScoredChunk<Int, String>] = [
            .init(chunk: 1, document: "many", score: 0.6), .init(chunk: 2, document: "many", score: 0.6),
            .init(chunk: 3, document: "many", score: 0.6), .init(chunk: 4, document: "one", score: 0.61),
        ]
        #expect(DocumentGrouping.group(chunks).map(\.document) == ["one", "many"])
    }

    @Test("ties between documents go to the smaller id; limit and a cap below 1")
    func tiesAndLimits() {
        let chunks: [ScoredChunk<Int, String>] = [
            .init(chunk: 5, document: "b", score: 1), .init(chunk: 6, document: "a", score: 1),
            .init(chunk: 7, document: "a", score: 0.5), .init(chunk: 5, document: "b", score: 1),
        ]
        let documents = DocumentGrouping.group(chunks, passagesPerDocument: 0, limit: 1)
        #expect(documents.count == 1)
        #expect(documents[0].document == "a")
        #expect(documents[0].passages.map(\.chunk) == [6])
        // The repeated chunk 5 is kept once.
        #expect(DocumentGrouping.group(chunks)[1].passages.map(\.chunk) == [5])
    }
}
