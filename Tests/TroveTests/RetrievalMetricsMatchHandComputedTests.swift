import Foundation
import Testing
@testable import Trove
import TroveTestSupport

/// The metric code against answers worked out by hand, and against the Python reference
/// (Benchmarks/quality/reference_bm25_fts5.py) on a real SciFact run.
struct RetrievalMetricsMatchHandComputedTests {
    // Three judged queries; q4 is retrieved but not judged, so it is not averaged.
    //   q1: d1 grade 2, d2 grade 1, d9 judged non-relevant (0)
    //   q2: d5 grade 1
    //   q3: d7, d8 grade 1
    static let qrels = Qrels(["q1": ["d1": 2, "d2": 1, "d9": 0], "q2": ["d5": 1], "q3": ["d7": 1, "d8": 1]])
    static let run: [String: [String]] = [
        "q1": ["d3", "d1", "d9", "d2"],
        "q2": ["d5"],
        "q3": ["x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "d7"],   // d7 at rank 11
        "q4": ["d1"],
    ]

    @Test("nDCG@10 uses gain = grade and a log2(rank + 1) discount (not 2^grade - 1)")
    func ndcgOfOneQuery() {
        // q1, ranks 1..4 = d3 (0), d1 (2), d9 (0), d2 (1):
        //   DCG  = 2/log2(3) + 1/log2(5)            = 1.2618595 + 0.4306766 = 1.6925361
        //   IDCG = 2/log2(2) + 1/log2(3)            = 2 + 0.6309298         = 2.6309298
        //   nDCG = 0.6433224   (with exponential gains 2^g − 1 it would be 0.6399093)
        let value = RetrievalMetrics.ndcg(ranked: Self.run["q1"]!, grades: Self.qrels.judgements["q1"]!, k: 10)
        #expect(abs(value - 0.6433224083306327) < 1e-12)
        // Cut at 1: only d3 (not relevant) counts, so 0.
        #expect(RetrievalMetrics.ndcg(ranked: Self.run["q1"]!, grades: Self.qrels.judgements["q1"]!, k: 1) == 0)
    }

    @Test("averages over the judged queries only, with recall and MRR as BEIR defines them")
    func averagedReport() {
        // nDCG@10:   q1 0.6433224, q2 1, q3 0 (d7 is at rank 11)      → 1.6433224 / 3 = 0.5477741
        // Recall@10: q1 2/2, q2 1/1, q3 0/2                            → 2 / 3
        // Recall@100: q3 now finds d7: 1/2                             → 2.5 / 3
        // MRR@10:    q1 1/2 (d1 at rank 2), q2 1, q3 0                 → 1.5 / 3 = 0.5
        // pytrec_eval 0.5.x (ndcg_cut.10, recall.10,100) on the same example gives the same three values
        // (Benchmarks/quality/check_metric_against_pytrec_eval.py does the same on the SciFact run).
        let report = RetrievalMetrics.evaluate(run: Self.run, qrels: Self.qrels)
        #expect(report.queries == 3)
        #expect(abs(report.ndcgAt10 - 0.547774136110211) < 1e-12)
        #expect(abs(report.recallAt10 - 2.0 / 3) < 1e-12)
        #expect(abs(report.recallAt100 - 2.5 / 3) < 1e-12)
        #expect(abs(report.mrrAt10 - 0.5) < 1e-12)
    }

    @Test("a judged query missing from the run scores 0 but still counts")
    func missingQueryCountsAsZero() {
        var run = Self.run
        run["q2"] = nil
        // nDCG@10 = (0.6433224 + 0 + 0) / 3; MRR@10 = 0.5 / 3
        let report = RetrievalMetrics.evaluate(run: run, qrels: Self.qrels)
        #expect(report.queries == 3)
        #expect(abs(report.ndcgAt10 - 0.6433224083306327 / 3) < 1e-12)
        #expect(abs(report.mrrAt10 - 0.5 / 3) < 1e-12)
    }

    @Test("ignore-identical-ids drops the query's own id and moves the rest up")
    func ignoreIdenticalIDs() {
        let qrels = Qrels(["q5": ["d1": 1]])
        let run = ["q5": ["q5", "d1"]]
        // Kept: d1 at rank 2 → MRR 1/2, nDCG 1/log2(3) = 0.6309298. Dropped: d1 at rank 1 → 1 and 1.
        let kept = RetrievalMetrics.evaluate(run: run, qrels: qrels)
        let dropped = RetrievalMetrics.evaluate(run: run, qrels: qrels, ignoreIdenticalIDs: true)
        #expect(abs(kept.mrrAt10 - 0.5) < 1e-12)
        #expect(abs(kept.ndcgAt10 - 1 / log2(3.0)) < 1e-12)
        #expect(dropped.mrrAt10 == 1)
        #expect(dropped.ndcgAt10 == 1)
    }

    @Test("a document repeated in a ranked list counts once")
    func repeatedDocumentCountsOnce() {
        let qrels = Qrels(["q": ["d1": 1, "d2": 1]])
        // [d1, d1]: recall 1/2, not 2/2; nDCG = 1 / (1 + 1/log2(3)) = 0.6131472
        let report = RetrievalMetrics.evaluate(run: ["q": ["d1", "d1"]], qrels: qrels)
        #expect(abs(report.recallAt10 - 0.5) < 1e-12)
        #expect(abs(report.ndcgAt10 - 1 / (1 + 1 / log2(3.0))) < 1e-12)
    }

    @Test("the report encodes with the snake_case keys scripts read")
    func reportKeys() throws {
        let data = try JSONEncoder().encode(RetrievalMetrics.evaluate(run: Self.run, qrels: Self.qrels))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["ndcg_at_10", "recall_at_10", "recall_at_100", "mrr_at_10", "queries"])
        #expect(object["queries"] as? Int == 3)
    }

    @Test("matches the Python reference on its SciFact test run (FTS5 BM25, nDCG@10 0.6874)")
    func matchesPythonReferenceOnSciFact() throws {
        // Run: Benchmarks/quality/reference_bm25_fts5.py ../shared/datasets/scifact --dump-run …
        // Expected: the same script's metric, `--score-run` of that file:
        //   {"ndcg_at_10": 0.687433986851022, "recall_at_10": 0.8245,
        //    "recall_at_100": 0.9253333333333335, "mrr_at_10": 0.6513280423280423, "queries": 300}
        let runURL = Fixtures.repositoryRoot
            .appendingPathComponent("Benchmarks/quality/reference-runs/scifact-test-fts5-bm25-top100.tsv")
        let runText = try #require(String(data: try Fixtures.required(runURL), encoding: .utf8))
        var run: [String: [String]] = [:]
        for line in runText.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            run[String(parts[0])] = parts.count > 1 ? parts[1].split(separator: " ").map(String.init) : []
        }
        let folder = DatasetLocation.scifact
        let qrelsURL = folder.appendingPathComponent("qrels/test.tsv")
        let qrelsText = try #require(String(data: try Fixtures.required(qrelsURL), encoding: .utf8))
        let qrels = try Qrels(tsv: qrelsText, path: qrelsURL.path)

        let report = RetrievalMetrics.evaluate(run: run, qrels: qrels)
        #expect(report.queries == 300)
        #expect(abs(report.ndcgAt10 - 0.687433986851022) < 1e-9)
        #expect(abs(report.recallAt10 - 0.8245) < 1e-9)
        #expect(abs(report.recallAt100 - 0.9253333333333335) < 1e-9)
        #expect(abs(report.mrrAt10 - 0.6513280423280423) < 1e-9)
    }
}
