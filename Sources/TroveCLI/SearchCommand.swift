import ArgumentParser
import Foundation
import Trove

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find the passages that best match a query.",
        discussion: """
        --mode hybrid (the default) ranks documents by fusing their nearest passage by embedding \
        (exact squared L2 distance; cosine = 1 − distance/2 for these unit vectors) with the BM25 \
        of their whole text (SQLite FTS5), min-max normalised with equal weights. --mode dense uses \
        only the embeddings (a document by its best passage), --mode keyword only BM25. Results are \
        grouped by document: one document contributes at most 3 passages, its best matching ones, \
        listed together.

        JSON (--json): {"query": …, "mode": …, "results": [{"rank", "chunk_id", "path", "title", \
        "text", "distance", "cosine", "score", "keyword_score", "start", "end", "page", \
        "heading_path", "line_start", "line_end", "anchor"}]}; score is what results are ranked by, keyword_score is −bm25() when the \
        passage matched the keywords; start/end are code-point offsets into the document's text.

        Examples:
          trove search "who designed the first rotating lens"
          trove search --mode keyword "Fresnel"
          trove search -k 10 --json "storm damage" | jq -r '.results[].path'
        """)

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .short, help: "How many passages to return (1–1000).")
    var k = 5

    @Option(name: .long, help: ArgumentHelp("Retriever: dense, keyword or hybrid.", valueName: "mode"))
    var mode: SearchMode = .default

    @Argument(help: "The query text.")
    var query: String

    func validate() throws {
        if !(1...1000).contains(k) { throw ValidationError("-k must be between 1 and 1000, got \(k)") }
        if query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("the query is empty") }
    }

    func run() throws {
        let trove = TroveIndex(indexFile: indexOptions.indexURL, models: modelOptions.location())
        let results = try trove.search(query, k: k, mode: mode)
        if output.json {
            try Output.printJSON(SearchOutput(query: query, mode: mode, results: results))
            return
        }
        if results.isEmpty { print("no passages (is the index empty? run `trove ingest PATH`)") }
        for result in results {
            var location = result.path
            if let page = result.page { location += " p.\(page)" }
            if let heading = result.headingPath, !heading.isEmpty { location += " § \(heading)" }
            var scores = "cosine \(String(format: "%.3f", result.cosine))"
            if let bm25 = result.keywordScore { scores += ", bm25 \(String(format: "%.2f", bm25))" }
            print("[\(result.rank)] \(location)  (\(scores), chars \(result.start)–\(result.end))")
            print(indent(excerpt(result.text, limit: 400)))
            print()
        }
    }
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
