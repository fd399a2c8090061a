import Foundation
import Store
import Testing
import TroveTestSupport
@testable import Trove

/// A long document whose one paragraph answers the question wins over a short document that
/// matches weakly, in keyword and hybrid mode (issue 12's clocktower): passage BM25 is scored
/// beside document BM25, and neither is normalised against the other candidates.
@Suite("a long document's one paragraph", .serialized)
struct LongDocumentParagraphIsFoundTests {
    let folder: TemporaryFolder
    let indexFile: URL
    let trove: TroveIndex

    init() throws {
        _ = try Fixtures.required(Fixtures.encoderFolder.appendingPathComponent("model.safetensors"))
        folder = try TemporaryFolder("trove-long-document")
        // About 40 KB of town history; paragraph 23 of 60 is the only one about the clocktower.
        let topics = ["the market square was paved with granite setts", "the mill race was widened for a second wheel",
                      "the parish school took in its first forty pupils", "the harbour wall was raised against winter tides",
                      "the railway reached the valley and the coaching inn closed", "the brewery moved to the old tannery"]
        let paragraphs = (0..<60).map { i -> String in
            if i == 23 {
                return "## 1889\n\nIn the summer of 1889 lightning struck the clocktower and the fire that followed " +
                    "gutted the belfry. The clocktower was rebuilt in 1891 with a stone spire and a new four-faced clock."
            }
            let year = 1800 + i * 3
            return "## \(year)\n\nIn \(year) \(topics[i % topics.count]). " +
                String(repeating: "The council minutes of that year record the cost, the names of the builders and the opinions of the townsfolk at length. ", count: 4)
        }
        try folder.write("docs/town-history.md", "# A history of the town\n\n" + paragraphs.joined(separator: "\n\n"))
        try folder.write("docs/story.txt", "The fisherman rebuilt his boat after the storm, plank by plank, and sailed again in spring.\n")
        try folder.write("docs/bread.txt", "Sourdough bread rises with wild yeast kept alive in a flour and water starter.\n")
        indexFile = folder.url.appendingPathComponent("index.sqlite")
        trove = TroveIndex(indexFile: indexFile, models: ModelLocation(folder: Fixtures.modelsFolder))
        try trove.ingest([folder.url.appendingPathComponent("docs")])
    }

    @Test("the clocktower paragraph is first, above the short story", arguments: [SearchMode.keyword, .hybrid, .dense])
    func paragraphFirst(mode: SearchMode) throws {
        let results = try trove.search("when was the clocktower rebuilt after lightning", k: 5, mode: mode, explain: true)
        let first = try #require(results.first)
        #expect(first.path.hasSuffix("town-history.md") && first.text.contains("rebuilt in 1891"),
                "\(mode): \(results.map { "\($0.path) \($0.score)" })")
        if let story = results.first(where: { $0.path.hasSuffix("story.txt") }) { #expect(story.score < first.score) }
        if mode != .dense {
            // The paragraph's own BM25 carries it, though its document's is diluted by 40 KB of text.
            let signals = try #require(first.explanation)
            #expect((signals.passageKeyword ?? 0) > (signals.documentKeyword ?? 0))
        }
    }

    @Test("a document that matches only as a whole contributes its first passage")
    func firstChunkFallback() throws {
        // Store bread.txt again with the same chunks and vectors but a whole text holding one more word.
        let database = try IndexDatabase.open(path: indexFile.path)
        let path = folder.url.appendingPathComponent("docs/bread.txt").path
        let document = try #require(try database.document(path: path))
        let chunks = try database.chunks(documentPath: path)
        let stored = try database.loadVectors()
        let vectors = chunks.map { chunk -> [Float] in
            let row = stored.chunkIDs.firstIndex(of: chunk.id!)!
            return Array(stored.values[row * stored.dimension ..< (row + 1) * stored.dimension])
        }
        try database.replaceDocument(document, chunks: chunks, vectors: vectors, text: chunks.map(\.text).joined() + " zebrafish")

        let fresh = TroveIndex(indexFile: indexFile, models: ModelLocation(folder: Fixtures.modelsFolder))
        let results = try fresh.search("zebrafish", k: 3, mode: .keyword, explain: true)
        let firstChunk = try database.chunks(documentPath: path)[0]
        #expect(results.map(\.chunkID) == [firstChunk.id!])
        let signals = try #require(results.first?.explanation)
        #expect(signals.passageBM25 == nil && signals.documentBM25 != nil && signals.documentBM25Rank == 1)
        #expect(results[0].score > 0 && results[0].cosine == nil)
    }

    @Test("keyword search loads neither the encoder nor the vectors")
    func keywordLoadsNoModel() throws {
        // A model folder with no encoder: dense search fails, keyword search answers.
        let empty = try TemporaryFolder("trove-no-models")
        let bare = TroveIndex(indexFile: indexFile, models: ModelLocation(folder: empty.url))
        let results = try bare.search("clocktower lightning", k: 2, mode: .keyword)
        #expect(results.first?.text.contains("clocktower") == true)
        #expect(throws: (any Error).self) { try bare.search("clocktower lightning", k: 2, mode: .dense) }
    }
}
