import Foundation
import Testing
import TroveTestSupport

/// `trove eval` end to end on a tiny BEIR folder: 20 documents, 5 queries, qrels with one graded
/// judgement. Checks the JSON keys and values a working retriever must reach on an easy set.
@Suite("trove eval on a small BEIR slice", .serialized)
struct EvalCommandSmokeTests {
    let folder: TemporaryFolder
    let index: String

    static let topics = [
        ("lighthouse", "Lighthouse lenses", "A Fresnel lens focuses the lamp of a lighthouse into a beam seen far out at sea."),
        ("sourdough", "Sourdough", "Sourdough bread rises with wild yeast and lactic acid bacteria kept in a starter."),
        ("tides", "Tides", "The tide rises twice a day because the moon's gravity pulls on the oceans."),
        ("volcano", "Volcanoes", "A volcano erupts when molten rock, ash and gases escape from a magma chamber."),
        ("bees", "Honey bees", "Honey bees dance to tell the hive the direction and distance of flowers."),
        ("chess", "Chess openings", "The Sicilian Defence answers the king's pawn opening with a pawn to c5."),
        ("glacier", "Glaciers", "Glaciers carve U-shaped valleys as the ice slowly grinds over the bedrock."),
        ("vaccine", "Vaccines", "Vaccines train the immune system to recognise a virus before an infection."),
        ("orbit", "Orbits", "A satellite in geostationary orbit circles the Earth once a day above the equator."),
        ("coffee", "Coffee", "Coffee beans are roasted to develop aroma; darker roasts taste more bitter."),
    ]

    init() throws {
        folder = try TemporaryFolder("trove-eval")
        index = folder.url.appendingPathComponent("eval.sqlite").path
        var corpus = ""
        for (id, title, text) in Self.topics {
            corpus += #"{"_id": "\#(id)", "title": "\#(title)", "text": "\#(text)", "metadata": {}}"# + "\n"
            corpus += #"{"_id": "\#(id)-note", "title": "", "text": "A short unrelated note number \#(id.count) about filing."}"# + "\n"
        }
        try folder.write("set/corpus.jsonl", corpus)
        try folder.write("set/queries.jsonl", """
            {"_id": "q1", "text": "how does a lighthouse lens make a beam", "metadata": {"gold": "lighthouse"}}
            {"_id": "q2", "text": "why are there two tides each day", "metadata": {}}
            {"_id": "q3", "text": "what makes bread rise without commercial yeast", "metadata": {}}
            {"_id": "q4", "text": "how do bees communicate where flowers are", "metadata": {}}
            {"_id": "q5", "text": "immune system learns to fight viruses", "metadata": {}}
            {"_id": "q6", "text": "a training query", "metadata": {}}

            """)
        try folder.write("set/qrels/test.tsv",
                         "query-id\tcorpus-id\tscore\r\nq1\tlighthouse\t1\r\nq2\ttides\t2\r\nq3\tsourdough\t1\r\nq4\tbees\t1\r\nq5\tvaccine\t1\r\n")
    }

    @Test("eval --json reports the metric keys with plausible values, then reuses the index", arguments: ["dense", "keyword", "hybrid"])
    func evalJSON(mode: String) throws {
        let set = folder.url.appendingPathComponent("set").path
        let run = try TroveBinary.run(["eval", "--index", index, "--json", "--mode", mode, set])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try TroveBinary.object(run.stdout)
        for key in ["ndcg_at_10", "recall_at_10", "recall_at_100", "mrr_at_10", "queries", "documents",
                    "ingest_seconds", "documents_per_second", "query_seconds", "queries_per_second", "mode", "index"] {
            #expect(report[key] != nil, "eval --json lacks \(key)")
        }
        #expect(report["queries"] as? Int == 5)                 // q6 has no judgement: not evaluated
        #expect(report["documents"] as? Int == 20)
        #expect(report["mode"] as? String == mode)
        #expect(report["recall_at_100"] as? Double == 1)         // only 20 documents: all are ranked
        let ndcg = report["ndcg_at_10"] as? Double ?? -1
        let mrr = report["mrr_at_10"] as? Double ?? -1
        #expect(ndcg >= 0.8 && ndcg <= 1, "nDCG@10 \(ndcg)")
        #expect(mrr >= 0.8 && mrr <= 1, "MRR@10 \(mrr)")
        // Each signal of the mode alone, over the same candidates (dense has only one: none listed).
        let signals = report["signals"] as? [String: Any] ?? [:]
        let expected: Set<String> = mode == "hybrid" ? ["cosine", "passage_bm25", "document_bm25", "keyword"]
            : mode == "keyword" ? ["passage_bm25", "document_bm25", "keyword"] : []
        #expect(Set(signals.keys) == expected)
        for (name, figures) in signals {
            let value = (figures as? [String: Any])?["ndcg_at_10"] as? Double ?? -1
            #expect(value >= 0 && value <= 1, "\(name): \(value)")
        }

        // No query id is a document id here, so dropping identical ids changes nothing.
        let again = try TroveBinary.object(try TroveBinary.run(["eval", "--index", index, "--json", "--mode", mode,
                                                                "--ignore-identical-ids", set]).stdout)
        #expect(again["index_reused"] as? Bool == true)
        #expect(again["ndcg_at_10"] as? Double == ndcg)
    }

    @Test("a folder without qrels is an error naming the missing file")
    func missingQrels() throws {
        let run = try TroveBinary.run(["eval", "--index", index, "--split", "dev", folder.url.appendingPathComponent("set").path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("qrels/dev.tsv"), "\(run.stderr)")
    }

    @Test("help has an Examples block; an unknown --mode is a usage error (exit 2)")
    func helpAndUsage() throws {
        let help = try TroveBinary.run(["help", "eval"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Examples:") && help.stdout.contains("USAGE: trove eval"))
        for command in [["eval", "--mode", "bogus", "x"], ["search", "--mode", "bogus", "x"]] {
            let run = try TroveBinary.run(command)
            #expect(run.status == 2, "trove \(command.joined(separator: " ")) exited \(run.status)")
            #expect(run.stderr.contains("bogus"), "\(run.stderr)")
        }
    }
}
