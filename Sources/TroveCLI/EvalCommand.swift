import ArgumentParser
import Foundation
import Trove

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure retrieval quality on a BEIR-format dataset.",
        discussion: """
        DATASET_DIR holds corpus.jsonl ({"_id", "title", "text"} per line), queries.jsonl and \\
        qrels/<split>.tsv. The corpus is ingested into an index (one document per record, title and \\
        text together; an unchanged corpus is reused, not embedded again), every query of the split \\
        is answered as `trove search --mode MODE` ranks, and the top 100 documents (each scored by its \\
        best passage) are scored against the qrels: nDCG@10 (graded gain, log2 discount), Recall@10, \\
        Recall@100 and MRR@10, as BEIR (pytrec_eval) defines them.

        The index defaults to ~/.cache/trove/eval/<dataset>-<hash>.sqlite ($XDG_CACHE_HOME respected), \
        <dataset>-<hash>-int8.sqlite (or -bf16) with --encoder-precision.

        JSON (--json): {"dataset", "split", "mode", "fusion", "ndcg_at_10", "recall_at_10", \\
        "recall_at_100", "mrr_at_10", "queries", "documents", "chunks", "index", "index_reused", \\
        "ingest_seconds", "documents_per_second", "query_seconds", "queries_per_second", "signals"}; \
        "signals" holds the same four figures for each signal of the mode ranking the same candidates \
        alone (cosine, passage_bm25, document_bm25, keyword): what each contributes.

        Examples:
          trove eval ~/datasets/scifact
          trove eval --mode dense --json ~/datasets/scifact | jq .ndcg_at_10
          trove eval --encoder-precision int8 --mode dense ~/datasets/scifact
          trove eval --split train --ignore-identical-ids --index /tmp/arguana.sqlite datasets/arguana
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var precisionOptions: EncoderPrecisionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var ranking: RankingOptions

    @Option(name: .long, help: ArgumentHelp("The index file (default: a cache file for this dataset).", valueName: "file"))
    var index: String?

    @Option(name: .long, help: ArgumentHelp("The qrels split: qrels/<split>.tsv.", valueName: "split"))
    var split = "test"

    @Option(name: .long, help: ArgumentHelp("Retriever: dense, keyword or hybrid (default: hybrid).", valueName: "mode"))
    var mode: SearchMode?

    @Flag(name: .customLong("ignore-identical-ids"), help: "Drop a retrieved document whose id equals the query's id (for sets whose queries are also documents).")
    var ignoreIdenticalIDs = false

    @Flag(name: .long, help: ArgumentHelp("MTEB's protocol instead: each document embedded once, cut to the encoder's 256-piece window, dense only, no index (a check of the encoder against published figures)."))
    var oneVectorPerDocument = false

    @Argument(help: ArgumentHelp("A BEIR-format dataset folder.", valueName: "dataset-dir"))
    var datasetDirectory: String

    func validate() throws {
        if split.isEmpty || split.contains("/") { throw ValidationError("--split must be a plain name such as test, got '\(split)'") }
        if oneVectorPerDocument, let mode, mode != .dense { throw ValidationError("--one-vector-per-document is dense only") }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: datasetDirectory).standardizedFileURL
        let indexFile = index.map { URL(fileURLWithPath: $0).standardizedFileURL }
            ?? EvaluationIndexLocation.resolve(datasetFolder: folder, precision: precisionOptions.encoderPrecision ?? .fp32)
        let trove = TroveIndex(indexFile: indexFile, models: precisionOptions.applied(to: modelOptions.location()))
        let report: EvaluationReport
        if oneVectorPerDocument {
            if Output.stderrIsTerminal { Output.error("embedding every document of \(folder.path) once…") }
            report = try trove.evaluateWholeDocuments(datasetFolder: folder, split: split, ignoreIdenticalIDs: ignoreIdenticalIDs)
        } else {
            if Output.stderrIsTerminal { Output.error("ingesting \(folder.path) into \(indexFile.path) (an unchanged corpus is reused)…") }
            report = try trove.evaluate(datasetFolder: folder, split: split, mode: mode ?? .default,
                                        weights: ranking.weights, ignoreIdenticalIDs: ignoreIdenticalIDs)
        }
        if output.json {
            try Output.printJSON(report)
            return
        }
        let m = report.metrics
        print("\(report.dataset) \(report.split), \(report.mode)\(report.fusion.map { " \($0)" } ?? ""): \(m.queries) queries, \(report.documents) documents (\(Output.count(report.chunks, "chunk")))")
        print(String(format: "  nDCG@10 %.4f   Recall@10 %.4f   Recall@100 %.4f   MRR@10 %.4f",
                     m.ndcgAt10, m.recallAt10, m.recallAt100, m.mrrAt10))
        let ingest = oneVectorPerDocument
            ? String(format: "embedding %.1f s (%.1f documents/s)", report.ingestSeconds, report.documentsPerSecond)
            : report.indexReused
            ? String(format: "index reused (%.1f s to check)", report.ingestSeconds)
            : String(format: "ingest %.1f s (%.1f documents/s)", report.ingestSeconds, report.documentsPerSecond)
        for (signal, figures) in report.signals.sorted(by: { $0.key < $1.key }) {
            let name = signal.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)
            print("  \(name) alone: " + String(format: "nDCG@10 %.4f   Recall@10 %.4f   Recall@100 %.4f   MRR@10 %.4f",
                                                 figures.ndcgAt10, figures.recallAt10, figures.recallAt100, figures.mrrAt10))
        }
        print("  \(ingest), " + String(format: "queries %.2f s (%.1f queries/s)", report.querySeconds, report.queriesPerSecond))
        print("  index: \(report.index)")
    }
}
