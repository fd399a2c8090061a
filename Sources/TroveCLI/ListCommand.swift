import ArgumentParser
import Foundation
import Trove

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the documents in the index, or its collections.",
        discussion: """
        JSON (--json): one object per line: {"id", "path", "format", "title", "chunks", "size", \
        "content_hash", "mtime", "collection"}; with --collections {"name", "documents", "chunks"} \
        (name null for documents ingested before collections existed: ingest their folder again).

        Examples:
          trove list
          trove list --collections
          trove list --json | jq -r 'select(.format == "pdf") | .path'
        """)

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "List the collections (trove ingest --collection) with their documents and chunks.")
    var collections = false

    func run() throws {
        let trove = TroveIndex(indexFile: indexOptions.indexURL, models: .resolve())  // reads the index only: no model is loaded
        if collections {
            for collection in try trove.collections() {
                if output.json {
                    try Output.printJSON(collection)
                } else {
                    print("\(collection.name ?? "(none)")  [\(Output.count(collection.documents, "document")), \(Output.count(collection.chunks, "chunk"))]")
                }
            }
            return
        }
        for document in try trove.documents() {
            if output.json {
                try Output.printJSON(document)
            } else {
                let title = document.title.map { "  \($0)" } ?? ""
                let collection = document.collection.map { ", \($0)" } ?? ""
                print("\(document.path)  [\(document.format), \(Output.count(document.chunks, "chunk"))\(collection)]\(title)")
            }
        }
    }
}
