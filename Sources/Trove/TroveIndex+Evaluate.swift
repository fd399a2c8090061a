import BertEncoder
import Foundation
import Store

/// Where `trove eval` keeps the index of a dataset when no `--index` is given:
/// `$XDG_CACHE_HOME/trove/eval/<folder name>-<8 hex digits of the corpus path>.sqlite`
/// (`~/.cache/trove/eval/…` without XDG_CACHE_HOME). The path hash keeps two datasets with the
/// same folder name apart; the same corpus is reused, and re-embedded only if it changed.
public enum EvaluationIndexLocation {
    /// `precision` other than fp32 gets its own file (`-int8`, `-bf16`): an index holds vectors of one precision.
    public static func resolve(datasetFolder: URL, precision: EncoderPrecision = .fp32) -> URL {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? home().appendingPathComponent(".cache")
        let corpus = datasetFolder.standardizedFileURL.appendingPathComponent("corpus.jsonl").path
        // FNV-1a, 64 bits: stable across runs (Swift's Hasher is seeded per process).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in corpus.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let name = datasetFolder.standardizedFileURL.lastPathComponent
        let suffix = precision == .fp32 ? "" : "-" + precision.rawValue
        return cache.appendingPathComponent("trove/eval/\(name)-\(String(hash >> 32, radix: 16))\(suffix).sqlite")
    }
}

extension TroveIndex {
    /// Evaluates retrieval on a BEIR-format folder (`corpus.jsonl`, `queries.jsonl`, `qrels/<split>.tsv`).
    ///
    /// Ingests `corpus.jsonl` into this index (one document per record, path `<corpus path>#<_id>`,
    /// text `title + "\n\n" + text`; an unchanged corpus is not embedded again), answers every query
    /// of the split with `mode` and `weights` exactly as ``search(_:k:mode:weights:filter:explain:queryVector:)``
    /// ranks passages (``PassageRanking``), keeps the top 100 DOCUMENTS, each at the place of its
    /// best passage (document id = the record's `_id`),
    /// and scores them with ``RetrievalMetrics`` against the qrels.
    /// Documents of the index that are not in this corpus are never returned.
    ///
    ///     let trove = TroveIndex(indexFile: EvaluationIndexLocation.resolve(datasetFolder: folder), models: .resolve())
    ///     let report = try trove.evaluate(datasetFolder: folder, split: "test", mode: .hybrid)
    ///     print(report.metrics.ndcgAt10)
    public func evaluate(datasetFolder: URL, split: String = "test", mode: SearchMode = .default,
                         weights: RankingWeights = .default, ignoreIdenticalIDs: Bool = false) throws -> EvaluationReport {
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
        let corpusDocuments = try during("reading the documents of \(database.location)") {
            try database.documents(inFile: corpus.path)
        }
        let chunkCounts = try during("reading \(database.location)") { try database.chunkCountsByDocument() }
        let chunks = corpusDocuments.compactMap(\.id).reduce(0) { $0 + (chunkCounts[$1] ?? 0) }
        let prefix = corpus.path + "#"
        // document id → the record's `_id`: documents of the index not in this corpus are never returned.
        var recordID: [Int64: String] = [:]
        for document in corpusDocuments where document.path.hasPrefix(prefix) {
            if let id = document.id { recordID[id] = String(document.path.dropFirst(prefix.count)) }
        }
        guard chunks > 0 else {
            throw TroveError("evaluating \(datasetFolder.path)", message:
                "the index \(database.location) holds no chunk of \(corpus.path) after ingesting it")
        }

        let queryStart = Date()
        var queryVectors = [[Float]?](repeating: nil, count: dataset.queries.count)
        if mode != .keyword {
            let encoder = try encoder()
            try checkEncoder(encoder, matches: database)
            queryVectors = try during("embedding \(dataset.queries.count) queries") {
                try encoder.embed(dataset.queries.map(\.text))
            }
        }
        // One more document when the query's own id may be dropped, so 100 remain to score.
        let limit = ignoreIdenticalIDs ? 101 : 100
        var run: [String: [String]] = [:]
        let signals = RankingSignal.used(by: mode)
        var signalRuns: [RankingSignal: [String: [String]]] = [:]
        for (query, vector) in zip(dataset.queries, queryVectors) {
            // Ranked as `trove search` ranks; a document is as good as its best passage.
            let ranked = try rankPassages(query.text, depth: PassageRanking.candidateDepth(for: limit), mode: mode,
                                          weights: weights, queryVector: vector, cosines: false)
            let inCorpus = ranked.filter { recordID[$0.document] != nil }
            run[query.id] = PassageRanking.select(inCorpus, passagesPerDocument: 1, limit: limit).compactMap { recordID[$0.document] }
            // What each signal alone makes of the same candidates.
            for signal in signals where signals.count > 1 {
                let alone = inCorpus.sorted {
                    let a = signal.value(of: $0), b = signal.value(of: $1)
                    return a != b ? a > b : $0.chunk < $1.chunk
                }
                signalRuns[signal, default: [:]][query.id] =
                    PassageRanking.select(alone, passagesPerDocument: 1, limit: limit).compactMap { recordID[$0.document] }
            }
        }
        let querySeconds = Date().timeIntervalSince(queryStart)

        let metrics = RetrievalMetrics.evaluate(run: run, qrels: dataset.qrels, ignoreIdenticalIDs: ignoreIdenticalIDs)
        let signalMetrics = signalRuns.mapValues {
            RetrievalMetrics.evaluate(run: $0, qrels: dataset.qrels, ignoreIdenticalIDs: ignoreIdenticalIDs)
        }
        var report = EvaluationReport(
            dataset: datasetFolder.standardizedFileURL.lastPathComponent, split: split, mode: mode,
            fusion: mode == .dense ? nil : weights.description, metrics: metrics,
            documents: dataset.corpus.count, chunks: chunks, index: database.location,
            indexReused: embedded == 0, ingestSeconds: ingestSeconds,
            documentsPerSecond: embedded == 0 ? 0 : Double(embedded) / max(ingestSeconds, 1e-9),
            querySeconds: querySeconds,
            queriesPerSecond: Double(dataset.queries.count) / max(querySeconds, 1e-9))
        report.signals = signalMetrics
        return report
    }
}
