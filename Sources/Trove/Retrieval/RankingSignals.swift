/// Everything known about one candidate passage of a query, and the score it was ranked by: what
/// `trove search --explain` prints. A signal is nil when its retriever was not asked (no cosine in
/// keyword mode, no BM25 in dense mode) or the passage has no such evidence (no query word in it).
public struct RankingSignals: Codable, Sendable, Equatable {
    /// The passage (chunk id) and its document (document id).
    public var chunk: Int64
    public var document: Int64
    /// 1-based rank among the dense retriever's nearest passages; nil when it did not return it.
    public var denseRank: Int?
    /// Cosine similarity of the query's and the passage's embeddings.
    public var cosine: Double?
    /// 1-based rank among the keyword retriever's best passages (BM25 over `chunks_fts`).
    public var passageBM25Rank: Int?
    /// The passage's BM25 (−bm25() of SQLite FTS5), whatever retriever found it.
    public var passageBM25: Double?
    /// 1-based rank of its document among the keyword retriever's best documents (`documents_fts`).
    public var documentBM25Rank: Int?
    /// Its document's BM25 over the document's whole text.
    public var documentBM25: Double?
    /// The passage's BM25 as a fraction of the most the query could score in a passage (``BM25Ceiling``).
    public var passageKeyword: Double?
    /// Its document's BM25 as a fraction of the most the query could score in a document.
    public var documentKeyword: Double?
    /// The keyword evidence in [0, 1): the two fractions weighted (``RankingWeights/passage``).
    public var keyword: Double?
    /// The value results are ranked by (``PassageRanking``), larger is better.
    public var score: Double

    public init(chunk: Int64, document: Int64, denseRank: Int? = nil, cosine: Double? = nil,
                passageBM25Rank: Int? = nil, passageBM25: Double? = nil,
                documentBM25Rank: Int? = nil, documentBM25: Double? = nil) {
        self.chunk = chunk
        self.document = document
        self.denseRank = denseRank
        self.cosine = cosine
        self.passageBM25Rank = passageBM25Rank
        self.passageBM25 = passageBM25
        self.documentBM25Rank = documentBM25Rank
        self.documentBM25 = documentBM25
        self.score = 0
    }

    enum CodingKeys: String, CodingKey {
        case chunk = "chunk_id", document = "document_id", cosine, keyword, score
        case passageKeyword = "passage_keyword", documentKeyword = "document_keyword"
        case denseRank = "dense_rank"
        case passageBM25Rank = "passage_bm25_rank", passageBM25 = "passage_bm25"
        case documentBM25Rank = "document_bm25_rank", documentBM25 = "document_bm25"
    }
}

/// One signal of ``RankingSignals`` that can rank candidates on its own (`trove eval` reports each).
public enum RankingSignal: String, CaseIterable, Codable, Sendable, Comparable {
    case cosine
    case passageBM25 = "passage_bm25"
    case documentBM25 = "document_bm25"
    case keyword

    /// The signals `mode` scores with (hybrid: all of them).
    public static func used(by mode: SearchMode) -> [RankingSignal] {
        switch mode {
        case .dense: return [.cosine]
        case .keyword: return [.passageBM25, .documentBM25, .keyword]
        case .hybrid: return allCases
        }
    }

    /// This signal's value for `signals`, 0 when it has none.
    public func value(of signals: RankingSignals) -> Double {
        switch self {
        case .cosine: return signals.cosine ?? 0
        case .passageBM25: return signals.passageKeyword ?? 0
        case .documentBM25: return signals.documentKeyword ?? 0
        case .keyword: return signals.keyword ?? 0
        }
    }

    public static func < (a: RankingSignal, b: RankingSignal) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
