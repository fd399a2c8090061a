import ArgumentParser
import Foundation
import Trove

/// The `trove` command line: a local retrieval-augmented generation engine.
@main
struct TroveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trove",
        abstract: "Ingest documents into a local index, search them, and answer questions with citations.",
        discussion: """
        Everything runs on this machine: a native all-MiniLM-L6-v2 encoder, an exact vector index in one \
        SQLite file, and an in-process SmolLM2 decoder. Models come from Scripts/fetch-models.sh.

        Examples:
          trove ingest ~/notes
          trove search "how do lighthouses rotate their lens" -k 5
          trove search --json "fresnel lens" | jq '.results[0].path'
          trove ask "When was Gannet Head lighthouse first lit?"
          trove stats --json
          trove serve --port 8080
        """,
        version: TroveVersion.string,
        subcommands: [
            IngestCommand.self, SearchCommand.self, EmbedCommand.self,
            StatsCommand.self, ListCommand.self, RemoveCommand.self, DoctorCommand.self,
            TokenizeCommand.self, GenerateCommand.self, AskCommand.self, EvalCommand.self, ServeCommand.self,
        ]
    )

    static func main() {
        OpenBLASCoreType.reexecWithAVX512KernelsIfUseful()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    /// Exits with the documented codes: 2 for bad usage (ArgumentParser's own would be 64),
    /// 1 for failures, each with a message on stderr.
    static func exit(withError error: Error) -> Never {
        if let code = error as? ExitCode { Foundation.exit(code.rawValue) }
        switch exitCode(for: error) {
        case .success:                       // --help, --version
            print(fullMessage(for: error))
            Foundation.exit(0)
        case .validationFailure:
            Output.error(fullMessage(for: error))
            Foundation.exit(TroveExit.usage.rawValue)
        default:
            Output.error("error: \(error)")
            Foundation.exit(TroveExit.failure.rawValue)
        }
    }
}
