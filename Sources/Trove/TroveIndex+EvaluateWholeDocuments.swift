import Foundation
import VectorIndex

extension TroveIndex {
    /// Dense retrieval as MTEB evaluates an encoder: each document embedded ONCE as
    /// `title + " " + text` cut to the encoder's window (256 word pieces with [CLS] and [SEP]),
    /// exact top 100 by squared L2 distance, no chunking and no index file.
    ///
    /// A check of the encoder, tokenizer and metric against the published figure
    /// (all-MiniLM-L6-v2 on SciFact: nDCG@10 0.645), apart from the chunker: `trove eval
    /// --mode dense` scores a document by its best chunk instead, which sees all of a long abstract.
    /// Every document is embedded on each call (nothing is cached).
    public func evaluateWholeDocuments(datasetFolder: URL, split: String = "test",
                                       ignoreIdenticalIDs: Bool = false) throws -> EvaluationReport {
        let dataset = try during("reading the dataset \(datasetFolder.path)") {
            try BEIRDataset(folder: datasetFolder, split: split)
        }
        let encoder = try encoder()
        let embedStart = Date()
        let documentVectors = try during("embedding \(dataset.corpus.count) documents") {
            try encoder.embed(dataset.corpus.map(\.indexedText))
        }
        let embedSeconds = Date().timeIntervalSince(embedStart)
        // Row i of the index is document i of the corpus.
        let index = try during("building the vector index") {
            try FlatL2Index(ids: dataset.corpus.indices.map { Int64($0) }, values: documentVectors.flatMap { $0 },
                            dimension: encoder.dimension)
        }

        let queryStart = Date()
        let queryVectors = try during("embedding \(dataset.queries.count) queries") {
            try encoder.embed(dataset.queries.map(\.text))
        }
        let neighbors = try during("searching the vector index") {
            try index.search(queries: queryVectors, k: ignoreIdenticalIDs ? 101 : 100)
        }
        var run: [String: [String]] = [:]
        for (query, found) in zip(dataset.queries, neighbors) {
            run[query.id] = found.map { dataset.corpus[Int($0.id)].id }
        }
        let querySeconds = Date().timeIntervalSince(queryStart)

        return EvaluationReport(
            dataset: datasetFolder.standardizedFileURL.lastPathComponent, split: split, mode: .dense,
            fusion: nil, metrics: RetrievalMetrics.evaluate(run: run, qrels: dataset.qrels, ignoreIdenticalIDs: ignoreIdenticalIDs),
            documents: dataset.corpus.count, chunks: dataset.corpus.count, index: "(in memory, one vector per document)",
            indexReused: false, ingestSeconds: embedSeconds,
            documentsPerSecond: Double(dataset.corpus.count) / max(embedSeconds, 1e-9),
            querySeconds: querySeconds, queriesPerSecond: Double(dataset.queries.count) / max(querySeconds, 1e-9))
    }
}
