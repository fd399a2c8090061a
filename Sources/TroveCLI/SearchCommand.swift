import ArgumentParser
import Foundation
import Trove

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find the passages that best match a query.",
        discussion: """
        -k counts passages: the k best passages, fewer only when the index holds fewer, at most 3 \
        of one document, listed in the order of the score printed beside them. Candidates come \
        from the embeddings (exact nearest passages; cosine = 1 − distance/2 for these unit \
        vectors), from BM25 over passages and from BM25 over whole documents (SQLite FTS5); every \
        candidate is then scored with all of its signals. --mode keyword scores a passage by its \
        BM25 and its document's, each as a fraction of the most the query could score, weighted \
        by --passage-weight; --mode dense by its cosine; --mode hybrid (the default) weighs the \
        two by --dense-weight. A long document's one matching paragraph counts as that paragraph. \
        --mode keyword loads neither the encoder nor the vectors (no cosine is shown).

        --path GLOB, --type TYPE, --since DATE, --until DATE and --collection NAME (see \
        `trove list --collections`) keep only the documents they allow, inside the ranking (the k results all come from them); a filter that allows no \
        document of the index is an error that says so.

        --explain shows each result's signals: dense rank and cosine, BM25 rank and score of the \
        passage and of its document, the keyword evidence and the score.

        JSON (--json): {"query": …, "mode": …, "filter": {"paths", "types", "since", "until", "collections"} \
        (when given), "results": [{"rank", "chunk_id", "path", "title", \
        "text", "score", "cosine", "distance", "start", "end", "page", "heading_path", \
        "line_start", "line_end", "anchor", "explain"}]}; score is what results are ranked by; \
        cosine and distance are absent in keyword mode; explain (with --explain) is {"chunk_id", \
        "document_id", "dense_rank", "cosine", "passage_bm25_rank", "passage_bm25", \
        "document_bm25_rank", "document_bm25", "passage_keyword", "document_keyword", "keyword", \
        "score"} (each keyword value a BM25 as a fraction of the most the query could score), \
        absent signals left out; \
        start/end are code-point offsets into the document's text.

        Examples:
          trove search "who designed the first rotating lens"
          trove search --mode keyword "Fresnel"
          trove search -k 10 --json "storm damage" | jq -r '.results[].path'
          trove search --explain "when was the clocktower rebuilt"
          trove search --type md --path 'notes/*' --since 2026-01-01 "meeting with the printer"
        """)

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var ranking: RankingOptions
    @OptionGroup var filters: FilterOptions

    @Option(name: .short, help: "How many passages to return (1–1000).")
    var k = 5

    @Option(name: .long, help: ArgumentHelp("Retriever: dense, keyword or hybrid.", valueName: "mode"))
    var mode: SearchMode = .default

    @Flag(name: .long, help: "Show every signal behind each result's score.")
    var explain = false

    @Argument(help: "The query text.")
    var query: String

    func validate() throws {
        if !(1...1000).contains(k) { throw ValidationError("-k must be between 1 and 1000, got \(k)") }
        if query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("the query is empty") }
    }

    func run() throws {
        let trove = TroveIndex(indexFile: indexOptions.indexURL, models: modelOptions.location())
        let filter = filters.filter
        let results = try trove.search(query, k: k, mode: mode, weights: ranking.weights, filter: filter, explain: explain)
        if output.json {
            try Output.printJSON(SearchOutput(query: query, mode: mode, filter: filter.isEmpty ? nil : filter, results: results))
            return
        }
        if results.isEmpty { print("no passages (is the index empty? run `trove ingest PATH`)") }
        for result in results {
            var location = result.path
            if let page = result.page { location += " p.\(page)" }
            if let heading = result.headingPath, !heading.isEmpty { location += " § \(heading)" }
            var scores = "score \(String(format: "%.3f", result.score))"
            if let cosine = result.cosine { scores += ", cosine \(String(format: "%.3f", cosine))" }
            print("[\(result.rank)] \(location)  (\(scores), chars \(result.start)–\(result.end))")
            if let signals = result.explanation { print(indent(explained(signals))) }
            print(indent(excerpt(result.text, limit: 400)))
            print()
        }
    }
}

/// One line of `--explain`: every signal of a result, "–" where it has none.
func explained(_ signals: RankingSignals) -> String {
    func number(_ value: Double?, _ format: String) -> String { value.map { String(format: format, $0) } ?? "–" }
    func rank(_ value: Int?) -> String { value.map { "#\($0)" } ?? "–" }
    return "dense \(rank(signals.denseRank)) cosine \(number(signals.cosine, "%.3f"))"
        + " | passage bm25 \(rank(signals.passageBM25Rank)) \(number(signals.passageBM25, "%.2f")) (\(number(signals.passageKeyword, "%.3f")) of max)"
        + " | document bm25 \(rank(signals.documentBM25Rank)) \(number(signals.documentBM25, "%.2f")) (\(number(signals.documentKeyword, "%.3f")) of max)"
        + " | keyword \(number(signals.keyword, "%.3f")) | score \(String(format: "%.3f", signals.score))"
}

/// `--mode dense|keyword|hybrid`.
extension SearchMode: ExpressibleByArgument {}

/// The first `limit` characters of `text` on one line, with an ellipsis when cut.
func excerpt(_ text: String, limit: Int) -> String {
    let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
}

/// `text` indented by four spaces.
func indent(_ text: String) -> String {
    "    " + text
}
