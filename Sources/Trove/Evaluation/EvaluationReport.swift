import Foundation

/// What `trove eval` measured on one BEIR split; the JSON shape of `trove eval --json`.
///
///     {"dataset": "scifact", "split": "test", "mode": "hybrid", "fusion": "dense 0.5, passage 0.5",
///      "ndcg_at_10": 0.73, "recall_at_10": 0.86, "recall_at_100": 0.97, "mrr_at_10": 0.70, "queries": 300,
///      "documents": 5183, "chunks": 9876, "index": "…/scifact-1a2b3c4d.sqlite", "index_reused": false,
///      "ingest_seconds": 120.5, "documents_per_second": 43.0, "query_seconds": 3.1, "queries_per_second": 97,
///      "signals": {"cosine": {"ndcg_at_10": 0.67, …}, "passage_bm25": {…}, "document_bm25": {…}, "keyword": {…}}}
public struct EvaluationReport: Codable, Sendable, Equatable {
    /// The dataset folder's name.
    public var dataset: String
    /// The qrels split evaluated.
    public var split: String
    /// The retriever.
    public var mode: SearchMode
    /// The weights used (``RankingWeights``, keyword and hybrid), e.g. `dense 0.5, passage 0.5`; nil for dense.
    public var fusion: String?
    /// The four figures, averaged over the split's queries.
    public var metrics: MetricsReport
    /// Documents in `corpus.jsonl`.
    public var documents: Int
    /// Chunks the index holds for them (a document longer than one chunk has several).
    public var chunks: Int
    /// The index file used.
    public var index: String
    /// True when the corpus was already in the index, unchanged, and nothing was embedded.
    public var indexReused: Bool
    /// Wall-clock time of the ingest step of this run (reading, chunking, embedding, writing).
    public var ingestSeconds: Double
    /// Documents ingested per second by this run: documents embedded / ingestSeconds (0 when reused).
    public var documentsPerSecond: Double
    /// Each signal of the mode ranking the same candidates alone (``RankingSignal``): what each
    /// contributes. Empty for `--one-vector-per-document`.
    public var signals: [RankingSignal: MetricsReport] = [:]
    /// Wall-clock time to answer every query (embedding, both retrievers, fusion, grouping).
    public var querySeconds: Double
    /// queries / querySeconds.
    public var queriesPerSecond: Double

    /// Plain memberwise initialiser.
    public init(dataset: String, split: String, mode: SearchMode, fusion: String?, metrics: MetricsReport,
                documents: Int, chunks: Int, index: String, indexReused: Bool, ingestSeconds: Double,
                documentsPerSecond: Double, querySeconds: Double, queriesPerSecond: Double) {
        self.dataset = dataset
        self.split = split
        self.mode = mode
        self.fusion = fusion
        self.metrics = metrics
        self.documents = documents
        self.chunks = chunks
        self.index = index
        self.indexReused = indexReused
        self.ingestSeconds = ingestSeconds
        self.documentsPerSecond = documentsPerSecond
        self.querySeconds = querySeconds
        self.queriesPerSecond = queriesPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case dataset, split, mode, fusion, documents, chunks, index, signals
        case indexReused = "index_reused", ingestSeconds = "ingest_seconds"
        case documentsPerSecond = "documents_per_second", querySeconds = "query_seconds"
        case queriesPerSecond = "queries_per_second"
    }

    /// The metrics are written at the top level (`ndcg_at_10`, …, `queries`), beside the rest.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dataset = try container.decode(String.self, forKey: .dataset)
        split = try container.decode(String.self, forKey: .split)
        mode = try container.decode(SearchMode.self, forKey: .mode)
        fusion = try container.decodeIfPresent(String.self, forKey: .fusion)
        metrics = try MetricsReport(from: decoder)
        documents = try container.decode(Int.self, forKey: .documents)
        chunks = try container.decode(Int.self, forKey: .chunks)
        index = try container.decode(String.self, forKey: .index)
        indexReused = try container.decode(Bool.self, forKey: .indexReused)
        ingestSeconds = try container.decode(Double.self, forKey: .ingestSeconds)
        documentsPerSecond = try container.decode(Double.self, forKey: .documentsPerSecond)
        querySeconds = try container.decode(Double.self, forKey: .querySeconds)
        queriesPerSecond = try container.decode(Double.self, forKey: .queriesPerSecond)
        let named = try container.decodeIfPresent([String: MetricsReport].self, forKey: .signals) ?? [:]
        signals = Dictionary(uniqueKeysWithValues: named.compactMap { key, value in RankingSignal(rawValue: key).map { ($0, value) } })
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dataset, forKey: .dataset)
        try container.encode(split, forKey: .split)
        try container.encode(mode, forKey: .mode)
        try container.encodeIfPresent(fusion, forKey: .fusion)
        try metrics.encode(to: encoder)
        try container.encode(documents, forKey: .documents)
        try container.encode(chunks, forKey: .chunks)
        try container.encode(index, forKey: .index)
        try container.encode(indexReused, forKey: .indexReused)
        try container.encode(ingestSeconds, forKey: .ingestSeconds)
        try container.encode(documentsPerSecond, forKey: .documentsPerSecond)
        try container.encode(querySeconds, forKey: .querySeconds)
        try container.encode(queriesPerSecond, forKey: .queriesPerSecond)
        if !signals.isEmpty {
            try container.encode(Dictionary(uniqueKeysWithValues: signals.map { ($0.key.rawValue, $0.value) }), forKey: .signals)
        }
    }
}
