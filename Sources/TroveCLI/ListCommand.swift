import ArgumentParser
import Foundation
import Trove

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the documents in the index.",
        discussion: """
        JSON (--json): one object per line: {"id", "path", "format", "title", "chunks", "size", \
        "content_hash", "mtime"}.

        Examples:
          trove list
          trove list --json | jq -r 'select(.format == "pdf") | .path'
        """)

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let trove = TroveIndex(indexFile: indexOptions.indexURL, models: .resolve())  // reads the index only: no model is loaded
        for document in try trove.documents() {
            if output.json {
                try Output.printJSON(document)
            } else {
                let title = document.title.map { "  \($0)" } ?? ""
                print("\(document.path)  [\(document.format), \(Output.count(document.chunks, "chunk"))]\(title)")
            }
        }
    }
}
