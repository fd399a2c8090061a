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
        SQLite file, and an in-process SmolLM2 decoder. `trove doctor` checks the model files and says \
        how to get any that is missing. Shell completion: `trove --generate-completion-script bash` \
        (or zsh, fish); README.md shows where to put it.

        Examples:
          trove ingest ~/notes
          trove search "how do lighthouses rotate their lens" -k 5
          trove search --json "fresnel lens" | jq '.results[0].path'
          trove ask "When was Gannet Head lighthouse first lit?"
          trove stats --json
          trove serve --port 8080
          trove mcp --index ~/notes.sqlite
        """,
        version: TroveVersion.string,
        subcommands: [
            IngestCommand.self, WatchCommand.self, SearchCommand.self, EmbedCommand.self,
            StatsCommand.self, ListCommand.self, RemoveCommand.self, DoctorCommand.self,
            TokenizeCommand.self, GenerateCommand.self, AskCommand.self, EvalCommand.self, ServeCommand.self, MCPCommand.self,
        ]
    )

    static func main() {
        OpenBLASCoreType.reexecWithAVX512KernelsIfUseful()
        if let mistyped = CommandLine.arguments.dropFirst().first, let message = unknownSubcommand(mistyped) {
            Output.error(message)
            Foundation.exit(TroveExit.usage.rawValue)
        }
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
            // ArgumentParser writes "Error: …"; every message of Trove's starts "error: ".
            var message = fullMessage(for: error)
            if message.hasPrefix("Error: ") { message = "error: " + message.dropFirst("Error: ".count) }
            Output.error(message)
            Foundation.exit(TroveExit.usage.rawValue)
        default:
            Output.error("error: \(error)")
            Foundation.exit(TroveExit.failure.rawValue)
        }
    }
}

extension TroveCommand {
    /// The message for a first argument that is neither an option nor a subcommand, with the
    /// closest subcommand when one is near ("serch" → search); nil for anything else.
    static func unknownSubcommand(_ argument: String) -> String? {
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        guard !argument.hasPrefix("-"), !names.contains(argument) else { return nil }
        let closest = names.map { ($0, editDistance($0, argument.lowercased())) }.min { $0.1 < $1.1 }
        var message = "error: '\(argument)' is not a trove command"
        if let (name, distance) = closest, distance <= max(1, name.count / 3) { message += "; did you mean '\(name)'?" }
        return message + "\n(trove --help lists the commands)"
    }

    /// Levenshtein distance: insertions, deletions and substitutions of characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
