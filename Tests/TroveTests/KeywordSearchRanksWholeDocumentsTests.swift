import Foundation
import Store
import Testing
import TroveTestSupport
@testable import Trove

/// Keyword search ranks DOCUMENTS by BM25 over their whole text (`documents_fts`), then picks each
/// document's passages by chunk-level BM25, or its first chunk when no chunk matches on its own.
@Suite("keyword search over whole documents", .serialized)
struct KeywordSearchRanksWholeDocumentsTests {
    let folder: TemporaryFolder
    let indexFile: URL
    let trove: TroveIndex

    init() throws {
        _ = try Fixtures.required(Fixtures.encoderFolder.appendingPathComponent("model.safetensors"))
        folder = try TemporaryFolder("trove-keyword-documents")
        // A long document (several chunks) where only paragraph 7 names the lighthouse keeper.
        let paragraphs = (1...10).map { i in
            (i == 7 ? "The lighthouse keeper logged the beam every night. " : "Tide note \(i). ") +
            String(repeating: "The harbour master records the height of every high tide in the tide book. ", count: 8)
        }
        try folder.write("docs/tides.txt", paragraphs.joined(separator: "\n\n"))
        try folder.write("docs/keeper.txt", "A keeper of bees tends the hives on the cliff above the harbour.\n")
        try folder.write("docs/bread.txt", "Sourdough bread rises with wild yeast kept alive in a flour and water starter.\n")
        indexFile = folder.url.appendingPathComponent("index.sqlite")
        trove = TroveIndex(indexFile: indexFile, models: ModelLocation(folder: Fixtures.modelsFolder))
        try trove.ingest([folder.url.appendingPathComponent("docs")])
    }

    @Test("documents come in documents_fts order; passages by chunk BM25; a passage's score is its document's")
    func order() throws {
        let query = "lighthouse keeper harbour"
        let results = try trove.search(query, k: 6, mode: .keyword)
        var paths: [String] = []
        for result in results where paths.last != result.path { paths.append(result.path) }
        let database = try IndexDatabase.open(path: indexFile.path)
        let documents = try database.documentKeywordSearch(query, limit: 10)
        #expect(paths == Array(documents.map(\.path).prefix(paths.count)), "passages of a document are listed together")
        #expect(paths.first?.hasSuffix("tides.txt") == true)
        for result in results {
            let document = try #require(documents.first { $0.path == result.path })
            #expect(result.score == document.score)
        }
        let tides = results.filter { $0.path.hasSuffix("tides.txt") }
        #expect(tides.count == TroveIndex.passagesPerDocument)
        #expect(tides.first?.text.contains("lighthouse keeper") == true, "the chunk naming the keeper comes first")
        #expect(zip(tides, tides.dropFirst()).allSatisfy { ($0.keywordScore ?? 0) >= ($1.keywordScore ?? 0) })
        #expect(results.map(\.rank) == Array(1...results.count))
    }

    @Test("a document that matches only as a whole contributes its first chunk")
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
        let results = try fresh.search("zebrafish", k: 3, mode: .keyword)
        let firstChunk = try database.chunks(documentPath: path)[0]
        #expect(results.map(\.chunkID) == [firstChunk.id!])
        #expect(results.first?.keywordScore == nil && (results.first?.score ?? 0) > 0)
        #expect(results.first?.distance.isFinite == true)
    }
}
