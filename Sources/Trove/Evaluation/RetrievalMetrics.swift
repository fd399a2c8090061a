import Foundation

/// The four figures `trove eval` reports, averaged over the queries of the qrels.
///
/// Encoded with the snake_case keys scripts read: `ndcg_at_10`, `recall_at_10`, `recall_at_100`,
/// `mrr_at_10`, `queries`.
public struct MetricsReport: Codable, Sendable, Equatable {
    /// Mean nDCG@10 (graded gain = relevance, log2 discount).
    public var ndcgAt10: Double
    /// Mean Recall@10.
    public var recallAt10: Double
    /// Mean Recall@100.
    public var recallAt100: Double
    /// Mean reciprocal rank of the first relevant document within the top 10.
    public var mrrAt10: Double
    /// Number of queries averaged over (the queries of the qrels).
    public var queries: Int

    /// Plain memberwise initialiser.
    public init(ndcgAt10: Double, recallAt10: Double, recallAt100: Double, mrrAt10: Double, queries: Int) {
        self.ndcgAt10 = ndcgAt10
        self.recallAt10 = recallAt10
        self.recallAt100 = recallAt100
        self.mrrAt10 = mrrAt10
        self.queries = queries
    }

    enum CodingKeys: String, CodingKey {
        case ndcgAt10 = "ndcg_at_10", recallAt10 = "recall_at_10", recallAt100 = "recall_at_100"
        case mrrAt10 = "mrr_at_10", queries
    }
}

/// Ranking metrics with the definitions BEIR reports (pytrec_eval, i.e. trec_eval 9.0.8 `ndcg_cut`
/// and `recall`, plus BEIR's own `mrr`), computed from ranked lists of document ids (best first).
///
/// - nDCG@k = DCG@k / IDCG@k with DCG@k = Σ_{r=1..k} rel(d_r) / log2(r + 1). The gain is the grade
///   itself (trec_eval: "gain values are the relevance values in the qrels file"), NOT 2^rel − 1 as in
///   Burges et al.; IDCG@k is the same sum over the qrels' grades sorted descending (all judged
///   documents, retrieved or not). A query without any grade > 0 has nDCG 0.
/// - Recall@k = |relevant ∩ top k| / |relevant|, relevant meaning grade > 0 (0 when none).
/// - MRR@k = 1 / rank of the first relevant document in the top k, 0 if there is none.
///
/// Averages run over the queries of the qrels (BEIR keeps only those); a query missing from the run
/// scores 0 on every metric. A document id repeated in a ranked list counts once, at its first rank.
/// With `ignoreIdenticalIDs`, a retrieved document whose id equals the query id is dropped before
/// scoring (BEIR's `ignore_identical_ids`, for sets such as ArguAna or Quora whose queries are also
/// documents); the documents after it move up one rank.
public enum RetrievalMetrics {
    /// nDCG@k of one ranked list against one query's grades (document id → grade).
    public static func ndcg(ranked: [String], grades: [String: Int], k: Int) -> Double {
        var dcg = 0.0
        for (index, documentID) in ranked.prefix(k).enumerated() {
            let gain = grades[documentID] ?? 0
            if gain > 0 { dcg += Double(gain) / log2(Double(index + 2)) }    // rank r = index + 1
        }
        let ideal = grades.values.filter { $0 > 0 }.sorted(by: >).prefix(k)
        var idealDCG = 0.0
        for (index, gain) in ideal.enumerated() { idealDCG += Double(gain) / log2(Double(index + 2)) }
        return idealDCG > 0 ? dcg / idealDCG : 0
    }

    /// Recall@k: the fraction of the relevant documents (grade > 0) found in the top k.
    public static func recall(ranked: [String], grades: [String: Int], k: Int) -> Double {
        let relevant = grades.filter { $0.value > 0 }
        guard !relevant.isEmpty else { return 0 }
        let found = ranked.prefix(k).reduce(0) { $0 + ((grades[$1] ?? 0) > 0 ? 1 : 0) }
        return Double(found) / Double(relevant.count)
    }

    /// Reciprocal rank within the top k: 1/r for the first relevant document at rank r ≤ k, else 0.
    public static func reciprocalRank(ranked: [String], grades: [String: Int], k: Int) -> Double {
        for (index, documentID) in ranked.prefix(k).enumerated() where (grades[documentID] ?? 0) > 0 {
            return 1 / Double(index + 1)
        }
        return 0
    }

    /// A metric at a cut-off, for `mean(of:run:qrels:)`.
    public enum Metric: Sendable, Hashable {
        /// nDCG@k.
        case ndcg(Int)
        /// Recall@k.
        case recall(Int)
        /// MRR@k.
        case mrr(Int)
    }

    /// The mean of `metric` over the queries of `qrels`, from `run` (query id → document ids, best first).
    public static func mean(of metric: Metric, run: [String: [String]], qrels: Qrels,
                            ignoreIdenticalIDs: Bool = false) -> Double {
        guard !qrels.queryIDs.isEmpty else { return 0 }
        var total = 0.0
        for queryID in qrels.queryIDs {
            let ranked = cleaned(run[queryID] ?? [], queryID: queryID, ignoreIdenticalIDs: ignoreIdenticalIDs)
            let grades = qrels.judgements[queryID] ?? [:]
            switch metric {
            case .ndcg(let k): total += ndcg(ranked: ranked, grades: grades, k: k)
            case .recall(let k): total += recall(ranked: ranked, grades: grades, k: k)
            case .mrr(let k): total += reciprocalRank(ranked: ranked, grades: grades, k: k)
            }
        }
        return total / Double(qrels.queryIDs.count)
    }

    /// nDCG@10, Recall@10, Recall@100 and MRR@10 of `run` (query id → document ids, best first).
    ///
    ///     let report = RetrievalMetrics.evaluate(run: ["q1": ["d3", "d1"]], qrels: Qrels(["q1": ["d1": 1]]))
    ///     // report.ndcgAt10 == 1 / log2(3) ≈ 0.631, report.mrrAt10 == 0.5
    public static func evaluate(run: [String: [String]], qrels: Qrels,
                                ignoreIdenticalIDs: Bool = false) -> MetricsReport {
        MetricsReport(
            ndcgAt10: mean(of: .ndcg(10), run: run, qrels: qrels, ignoreIdenticalIDs: ignoreIdenticalIDs),
            recallAt10: mean(of: .recall(10), run: run, qrels: qrels, ignoreIdenticalIDs: ignoreIdenticalIDs),
            recallAt100: mean(of: .recall(100), run: run, qrels: qrels, ignoreIdenticalIDs: ignoreIdenticalIDs),
            mrrAt10: mean(of: .mrr(10), run: run, qrels: qrels, ignoreIdenticalIDs: ignoreIdenticalIDs),
            queries: qrels.queryIDs.count)
    }

    /// The ranked list as scored: repeats removed (first rank kept), and the query's own id removed
    /// when `ignoreIdenticalIDs` is set.
    static func cleaned(_ ranked: [String], queryID: String, ignoreIdenticalIDs: Bool) -> [String] {
        var seen = Set<String>()
        return ranked.filter { documentID in
            if ignoreIdenticalIDs && documentID == queryID { return false }
            return seen.insert(documentID).inserted
        }
    }
}
