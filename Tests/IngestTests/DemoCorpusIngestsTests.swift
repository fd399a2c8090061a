import Foundation
import Testing
import TroveTestSupport
@testable import Ingest
@testable import Store

/// The demo corpus in Corpora/ through the whole pipeline (real walker, loaders and chunker; fake
/// encoder), into an index file.
@Suite("Demo corpus ingest")
struct DemoCorpusIngestsTests {
    @Test("all 20 documents are indexed, search-ready, and a second run embeds nothing")
    func ingestTwice() throws {
        let corpus = Fixtures.repositoryRoot.appendingPathComponent("Corpora")
        try Fixtures.required(corpus.appendingPathComponent("QUESTIONS.md"))
        let folder = try TemporaryFolder("trove-ingest")
        let database = try IndexDatabase.open(path: folder.url.appendingPathComponent("demo.trove").path)
        let encoder = FakeChunkEncoder()
        let first = try IngestPipeline(database: database, encoder: encoder).ingest(paths: [corpus])

        #expect(first.skipped.isEmpty, "\(first.skipped)")
        #expect(first.added == 20)  // 14 files, plus a .jsonl of 6 records
        let stats = try database.stats()
        #expect(stats.documents == 20 && stats.vectors == stats.chunks && stats.chunks == first.chunksWritten)
        #expect(encoder.textsEmbedded == stats.chunks)
        #expect(Set(try database.allDocuments().map(\.format)) == Set(DemoCorpusLoadsTests.demoFormats.map(\.rawValue)))
        let pdfChunks = try database.chunks(documentPath: corpus.appendingPathComponent("annual-report-1997-98.pdf").path)
        #expect(!pdfChunks.isEmpty && pdfChunks.allSatisfy { $0.page != nil })
        #expect(!(try database.keywordSearch("SKERLINK", limit: 3)).isEmpty)

        let again = FakeChunkEncoder()
        let second = try IngestPipeline(database: database, encoder: again).ingest(paths: [corpus])
        #expect(second.unchanged == 20 && second.added + second.updated + second.removed + second.moved == 0)
        #expect(again.textsEmbedded == 0)
    }
}
