import ArgumentParser
import Foundation
import Trove

struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove documents (or everything under a folder) from the index.",
        discussion: """
        The files themselves are not touched. A path that matches no document is reported and the \
        command exits with 1.

        Examples:
          trove remove notes/old-draft.md
          trove remove --json archive/
        """)

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("Document paths or folders.", valueName: "path"))
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one path to remove") }
    }

    func run() throws {
        let trove = TroveIndex(indexFile: indexOptions.indexURL, models: .resolve())  // reads the index only: no model is loaded
        let report = try trove.remove(paths.map { URL(fileURLWithPath: $0) })
        if output.json {
            try Output.printJSON(report)
        } else {
            for path in report.removed { print("removed \(path)") }
            for path in report.notFound { Output.error("error: \(path): no such document in the index") }
        }
        if !report.notFound.isEmpty { throw ExitCode(TroveExit.failure.rawValue) }
    }
}
