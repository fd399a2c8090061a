import ArgumentParser
import Foundation
import Trove

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find the passages closest to a query.",
        discussion: """
        Embeds the query with the index's encoder and returns the k nearest passages by exact squared \
        L2 distance (cosine = 1 − distance/2 for these unit vectors).

        JSON (--json): {"query": …, "results": [{"rank", "chunk_id", "path", "title", "text", \
        "distance", "cosine", "start", "end", "page", "heading_path"}]}; start/end are code-point \
        offsets into the document's text.

        Examples:
          trove search "who designed the first rotating lens"
          trove search -k 10 --json "storm damage" | jq -r '.results[].path'
        """)

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .short, help: "How many passages to return (1–1000).")
    var k = 5

    @Argument(help: "The query text.")
    var query: String

    func validate() throws {
        if !(1...1000).contains(k) { throw ValidationError("-k must be between 1 and 1000, got \(k)") }
        if query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("the query is empty") }
    }

    func run() throws {
        let trove = TroveIndex(indexFile: indexOptions.indexURL, models: modelOptions.location())
        let results = try trove.search(query, k: k)
        if output.json {
            try Output.printJSON(SearchOutput(query: query, results: results))
            return
        }
        if results.isEmpty { print("no passages (is the index empty? run `trove ingest PATH`)") }
        for result in results {
            var location = result.path
            if let page = result.page { location += " p.\(page)" }
            if let heading = result.headingPath, !heading.isEmpty { location += " § \(heading)" }
            print("[\(result.rank)] \(location)  (cosine \(String(format: "%.3f", result.cosine)), chars \(result.start)–\(result.end))")
            print(indent(excerpt(result.text, limit: 400)))
            print()
        }
    }
}

/// `trove search --json`.
struct SearchOutput: Codable {
    let query: String
    let results: [SearchResult]
}

/// The first `limit` characters of `text` on one line, with an ellipsis when cut.
func excerpt(_ text: String, limit: Int) -> String {
    let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
}

/// `text` indented by four spaces.
func indent(_ text: String) -> String {
    "    " + text
}
