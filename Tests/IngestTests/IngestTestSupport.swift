import Foundation
import Testing
@testable import Ingest
@testable import Store
import GRDB
import TroveTestSupport

/// A folder of documents, an index file beside it, and a pipeline over both.
final class IngestFixture {
    let folder: TemporaryFolder
    let corpus: URL
    let database: IndexDatabase

    init() throws {
        folder = try TemporaryFolder("trove-ingest")
        corpus = folder.url.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        database = try IndexDatabase.open(path: folder.url.appendingPathComponent("index.trove").path)
    }

    /// Writes a file under the corpus folder.
    @discardableResult
    func write(_ relativePath: String, _ text: String) throws -> URL {
        try folder.write("corpus/" + relativePath, text)
    }

    /// The absolute path the index stores for a corpus file.
    func path(_ relativePath: String) -> String {
        IngestPipeline.standardizedPath(corpus.appendingPathComponent(relativePath))
    }

    /// Ingests the corpus folder with `encoder`.
    func ingest(_ encoder: FakeChunkEncoder = FakeChunkEncoder(), batch: Int = 64,
                progress: ((IngestProgress) -> Void)? = nil) throws -> IngestReport {
        var pipeline = IngestPipeline(database: database, encoder: encoder)
        pipeline.embeddingBatchSize = batch
        return try pipeline.ingest(paths: [corpus], progress: progress)
    }

    /// Sets a file's modification time (to tell "touched" from "edited" without sleeping).
    func setModificationDate(_ relativePath: String, _ date: Date) throws {
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path(relativePath))
    }

    /// Checks what every search relies on: one vector per chunk, every stored document's file
    /// state recorded, FTS5 in step with `chunks`, and one `documents_fts` row per document.
    func expectConsistent(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let stats = try database.stats()
        #expect(stats.vectors == stats.chunks, sourceLocation: sourceLocation)
        try database.write { db in
            try db.execute(sql: "INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)")
            try db.execute(sql: "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)")
        }
        let unmatched = try database.read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM documents WHERE id NOT IN (SELECT rowid FROM documents_fts))
                     + (SELECT count(*) FROM documents_fts WHERE rowid NOT IN (SELECT id FROM documents))
                """)
        }
        #expect(unmatched == 0, "documents without a documents_fts row or the reverse", sourceLocation: sourceLocation)
        let vectors = try database.loadVectors()
        #expect(vectors.values.count == stats.chunks * vectors.dimension, sourceLocation: sourceLocation)
    }

    /// The whole text `documents_fts` holds for the document at `path`.
    func fullText(_ path: String) throws -> String? {
        try database.read { db in
            try String.fetchOne(db, sql: "SELECT f.text FROM documents_fts f JOIN documents d ON d.id = f.rowid WHERE d.path = ?",
                                arguments: [path])
        }
    }

    /// Stored document paths relative to the corpus folder, sorted.
    func storedPaths() throws -> [String] {
        let prefix = IngestPipeline.standardizedPath(corpus) + "/"
        return try database.allDocuments().map { String($0.path.dropFirst(prefix.count)) }
    }
}

/// A text of `sentences` distinct sentences, long enough to make several chunks.
func longText(_ topic: String, sentences: Int) -> String {
    (0..<sentences).map { "The \(topic) number \($0) is described in sentence \($0) of this file." }
        .joined(separator: " ")
}
