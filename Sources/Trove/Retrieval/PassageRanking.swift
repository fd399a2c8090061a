import Foundation
import Store

/// The largest BM25 a row of one table could score for one query: Σ over its words of
/// idf(w) · (k1 + 1), what a row reaches as each word's frequency grows without bound. FTS5's
/// bm25() uses k1 = 1.2 and idf(w) = ln((N − n + 0.5) / (n + 0.5)), floored at 1e-6, with N the
/// table's rows and n the rows holding w (https://sqlite.org/fts5.html#the_bm25_function).
///
/// Dividing a BM25 by it puts every row of every query on one scale, [0, 1), that depends on the
/// query and the collection only, never on which or how many candidates were retrieved: a list
/// of one or two candidates is scored exactly as a list of a thousand (min-max normalisation over
/// the list turns the best of two weak matches into 1 and the other into 0).
enum BM25Ceiling {
    /// FTS5's k1.
    static let k1 = 1.2

    /// Σ idf · (k1 + 1) for the words counted in `statistics`; 0 when the query has no words.
    static func value(_ statistics: KeywordStatistics) -> Double {
        let rows = Double(statistics.rows)
        return statistics.matchingRows.reduce(0) { total, matching in
            let n = Double(matching)
            return total + max(log((rows - n + 0.5) / (n + 0.5)), 1e-6) * (k1 + 1)
        }
    }
}

/// How the signals of a passage are weighted into its score (``PassageRanking``).
public struct RankingWeights: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Hybrid: the weight of the cosine; the keyword evidence gets 1 − dense.
    public var dense: Double
    /// Keyword evidence: the weight of the passage's own BM25; its document's BM25 gets 1 − passage.
    public var passage: Double

    public init(dense: Double, passage: Double) {
        self.dense = dense
        self.passage = passage
    }

    /// Chosen on SciFact's train split and on the odd-numbered questions of the Python
    /// documentation set, never on test queries (Benchmarks/retrieval/README.md has the grid).
    public static let `default` = RankingWeights(dense: 0.5, passage: 0.75)

    public var description: String { "dense \(dense), passage \(passage)" }
}

/// Ranks candidate passages by one score per passage, for every mode:
///
/// - dense: the cosine;
/// - keyword: K = passage · B(p)/C(p) + (1 − passage) · B(d)/C(d), where B(p) is the passage's BM25,
///   B(d) its document's BM25 over the whole text, and C the ceilings of the query in the two
///   tables (``BM25Ceiling``); a long document's one strong paragraph is scored as that paragraph,
///   not diluted by the rest of the document, and a document whose text as a whole matches still
///   lends that to each of its passages;
/// - hybrid: dense · cosine + (1 − dense) · K.
///
/// A missing signal counts 0. A document is as good as its best passage (MaxP, Dai & Callan,
/// SIGIR 2019): results are passages in the order of their score, at most `passagesPerDocument`
/// of one document, so a document's rank is its best passage's.
enum PassageRanking {
    /// At most this many passages of one document appear in a result list, so one long document
    /// cannot fill a prompt on its own.
    static let defaultPassagesPerDocument = 3

    /// How many candidates each retriever returns for `k` results (dense passages, keyword
    /// passages, keyword documents): deep enough that a passage in the top k of the fused score is
    /// almost always among them.
    static func candidateDepth(for k: Int) -> Int { max(100, 4 * k) }

    /// `candidates` scored (their `keyword` and `score` filled in), best first (ties by chunk id).
    static func scored(_ candidates: [RankingSignals], mode: SearchMode, weights: RankingWeights = .default,
                              passageCeiling: Double, documentCeiling: Double) -> [RankingSignals] {
        candidates.map {
            score($0, mode: mode, weights: weights, passageCeiling: passageCeiling, documentCeiling: documentCeiling)
        }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.chunk < $1.chunk }
    }

    /// The result list of a ranking (best first): at most `passagesPerDocument` passages of one
    /// document, at most `limit` passages. With one passage per document it is the document ranking.
    static func select(_ ranked: [RankingSignals], passagesPerDocument: Int = defaultPassagesPerDocument,
                              limit: Int) -> [RankingSignals] {
        var perDocument: [Int64: Int] = [:]
        var seen = Set<Int64>()
        var chosen: [RankingSignals] = []
        for passage in ranked where chosen.count < limit && seen.insert(passage.chunk).inserted {
            guard perDocument[passage.document, default: 0] < max(1, passagesPerDocument) else { continue }
            perDocument[passage.document, default: 0] += 1
            chosen.append(passage)
        }
        return chosen
    }

    /// The `limit` passages of `ranked` (scored) with the largest BM25 of their own text
    /// (``RankingSignals/passageKeyword``, ties by chunk id), leaving out `excluding` and passages
    /// none of whose words match: what a keyword search of passages alone would put first.
    static func bestByOwnKeywords(_ ranked: [RankingSignals], excluding: Set<Int64>, limit: Int) -> [RankingSignals] {
        guard limit > 0 else { return [] }
        let matching = ranked.filter { !excluding.contains($0.chunk) && ($0.passageKeyword ?? 0) > 0 }
        return Array(matching.sorted { a, b in
            let x = a.passageKeyword ?? 0, y = b.passageKeyword ?? 0
            return x != y ? x > y : a.chunk < b.chunk
        }.prefix(limit))
    }

    /// `signals` with `keyword` and `score` computed for `mode`.
    static func score(_ signals: RankingSignals, mode: SearchMode, weights: RankingWeights,
                             passageCeiling: Double, documentCeiling: Double) -> RankingSignals {
        var scored = signals
        let cosine = signals.cosine ?? 0
        if mode != .dense {
            let passage = fraction(signals.passageBM25, of: passageCeiling)
            let document = fraction(signals.documentBM25, of: documentCeiling)
            scored.passageKeyword = passage
            scored.documentKeyword = document
            scored.keyword = weights.passage * passage + (1 - weights.passage) * document
        }
        switch mode {
        case .dense: scored.score = cosine
        case .keyword: scored.score = scored.keyword ?? 0
        case .hybrid: scored.score = weights.dense * cosine + (1 - weights.dense) * (scored.keyword ?? 0)
        }
        return scored
    }

    private static func fraction(_ bm25: Double?, of ceiling: Double) -> Double {
        guard let bm25, ceiling > 0 else { return 0 }
        return bm25 / ceiling
    }
}
