import Foundation
import Store
import VectorIndex

/// Where `trove eval` keeps the index of a dataset when no `--index` is given:
/// `$XDG_CACHE_HOME/trove/eval/<folder name>-<8 hex digits of the corpus path>.sqlite`
/// (`~/.cache/trove/eval/…` without XDG_CACHE_HOME). The path hash keeps two datasets with the
/// same folder name apart; the same corpus is reused, and re-embedded only if it changed.
public enum EvaluationIndexLocation {
    public static func resolve(datasetFolder: URL) -> URL {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        let corpus = datasetFolder.standardizedFileURL.appendingPathComponent("corpus.jsonl").path
        // FNV-1a, 64 bits: stable across runs (Swift's Hasher is seeded per process).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in corpus.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let name = datasetFolder.standardizedFileURL.lastPathComponent
        return cache.appendingPathComponent("trove/eval/\(name)-\(String(hash >> 32, radix: 16)).sqlite")
    }
}

extension TroveIndex {
    /// Evaluates retrieval on a BEIR-format folder (`corpus.jsonl`, `queries.jsonl`, `qrels/<split>.tsv`).
    ///
    /// Ingests `corpus.jsonl` into this index (one document per record, path `<corpus path>#<_id>`,
    /// text `title + "\n\n" + text`; an unchanged corpus is not embedded again), answers every query
    /// of the split with `mode` exactly as ``search(_:k:mode:)`` ranks documents (same candidates,
    /// same fusion: dense by a document's best chunk, keyword by whole-document BM25, hybrid the two
    /// fused; ``DocumentRanking``), keeps the top 100 DOCUMENTS (document id = the record's `_id`),
    /// and scores them with ``RetrievalMetrics`` against the qrels.
    /// Documents of the index that are not in this corpus are never returned.
    ///
    ///     let trove = TroveIndex(indexFile: EvaluationIndexLocation.resolve(datasetFolder: folder), models: .resolve())
    ///     let report = try trove.evaluate(datasetFolder: folder, split: "test", mode: .hybrid)
    ///     print(report.metrics.ndcgAt10)
    public func evaluate(datasetFolder: URL, split: String = "test", mode: SearchMode = .default,
                         ignoreIdenticalIDs: Bool = false) throws -> EvaluationReport {
        let dataset = try during("reading the dataset \(datasetFolder.path)") {
            try BEIRDataset(folder: datasetFolder, split: split)
        }
        let corpus = datasetFolder.standardizedFileURL.appendingPathComponent("corpus.jsonl")
        let ingestStart = Date()
        let ingested = try ingest([corpus])
        let ingestSeconds = Date().timeIntervalSince(ingestStart)
        if let skip = ingested.skipped.first(where: { $0.path == corpus.path }) {
            throw TroveError("ingesting \(corpus.path)", message: skip.reason)
        }
        let embedded = ingested.added + ingested.updated

        let database = try database()
        let vectors = try vectorIndex()
        let documentOf = try corpusDocuments(of: corpus.path, database: database, vectors: vectors)
        guard !documentOf.isEmpty else {
            throw TroveError("evaluating \(datasetFolder.path)", message:
                "the index \(database.location) holds no chunk of \(corpus.path) after ingesting it")
        }

        let queryStart = Date()
        let depth = ChunkRanking.candidateDepth(for: 100)
        var denseLists = [[Neighbor]](repeating: [], count: dataset.queries.count)
        if mode != .keyword {
            let encoder = try encoder()
            try checkEncoder(encoder, matches: database)
            let queryVectors = try during("embedding \(dataset.queries.count) queries") {
                try encoder.embed(dataset.queries.map(\.text))
            }
            denseLists = try during("searching the vector index") { try vectors.search(queries: queryVectors, k: depth) }
        }
        let prefix = corpus.path + "#"
        // One more document when the query's own id may be dropped, so 100 remain to score.
        let limit = ignoreIdenticalIDs ? 101 : 100
        var run: [String: [String]] = [:]
        for (query, neighbors) in zip(dataset.queries, denseLists) {
            var keyword: [Trove.KeywordHit<String>] = []
            if mode != .dense {
                let found = try during("keyword search for query \(query.id)") {
                    try database.documentKeywordSearch(query.text, limit: depth)
                }
                keyword = found.filter { $0.path.hasPrefix(prefix) }
                    .map { Trove.KeywordHit(id: String($0.path.dropFirst(prefix.count)), bm25: -$0.score) }
            }
            let dense = DocumentRanking.bestChunks(
                neighbors.map { DenseHit(id: $0.id, squaredL2Distance: $0.squaredDistance) }, documentOf: documentOf)
            run[query.id] = DocumentRanking.documents(dense: dense, keyword: keyword, mode: mode, limit: limit).map(\.id)
        }
        let querySeconds = Date().timeIntervalSince(queryStart)

        let metrics = RetrievalMetrics.evaluate(run: run, qrels: dataset.qrels, ignoreIdenticalIDs: ignoreIdenticalIDs)
        return EvaluationReport(
            dataset: datasetFolder.standardizedFileURL.lastPathComponent, split: split, mode: mode,
            fusion: mode == .hybrid ? FusionMethod.default.description : nil, metrics: metrics,
            documents: dataset.corpus.count, chunks: documentOf.count, index: database.location,
            indexReused: embedded == 0, ingestSeconds: ingestSeconds,
            documentsPerSecond: embedded == 0 ? 0 : Double(embedded) / max(ingestSeconds, 1e-9),
            querySeconds: querySeconds,
            queriesPerSecond: Double(dataset.queries.count) / max(querySeconds, 1e-9))
    }

    /// chunk id → corpus `_id`, for every chunk of a record of `corpusPath` that has a vector.
    func corpusDocuments(of corpusPath: String, database: IndexDatabase,
                         vectors: FlatL2Index) throws -> [Int64: String] {
        let prefix = corpusPath + "#"
        let stored = try during("reading the chunks of \(database.location)") { try database.chunks(ids: vectors.ids) }
        var documentOf: [Int64: String] = [:]
        for chunk in stored where chunk.documentPath.hasPrefix(prefix) {
            documentOf[chunk.id] = String(chunk.documentPath.dropFirst(prefix.count))
        }
        return documentOf
    }
}
