import Foundation
import Testing

@Suite("trove help and usage errors")
struct CommandHelpAndUsageTests {
    static let commands = ["ingest", "search", "ask", "embed", "generate", "tokenize", "eval", "stats", "list", "remove", "doctor"]

    @Test("every command's help has an Examples block", arguments: commands)
    func helpHasExamples(command: String) throws {
        let run = try TroveBinary.run(["help", command])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Examples:"), "trove help \(command) has no Examples: block")
        #expect(run.stdout.contains("USAGE: trove \(command)"))
    }

    @Test("the top-level help lists every command")
    func topLevelHelpListsCommands() throws {
        let run = try TroveBinary.run(["--help"])
        #expect(run.status == 0)
        for command in Self.commands { #expect(run.stdout.contains("  \(command)"), "--help does not list \(command)") }
    }

    @Test("bad usage exits with 2 and says what is wrong", arguments: [
        (["search"], "Missing expected argument"),
        (["search", "-k", "0", "x"], "-k must be between 1 and 1000"),
        (["ingest"], "Missing expected argument"),
        (["embed", "--json-input", "a"], "--json-input goes with"),
        (["frobnicate"], "Unexpected argument"),
    ])
    func badUsageExitsTwo(arguments: [String], message: String) throws {
        let run = try TroveBinary.run(arguments)
        #expect(run.status == 2, "trove \(arguments.joined(separator: " ")) exited \(run.status): \(run.stderr)")
        #expect(run.stderr.contains(message), "stderr was: \(run.stderr)")
    }

    @Test("a missing model folder fails with 1 and names the path")
    func missingModelsFolder() throws {
        let run = try TroveBinary.run(["embed", "hello"], environment: ["TROVE_MODELS": "/nonexistent/trove-models"])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: "))
        #expect(run.stderr.contains("/nonexistent/trove-models"))
    }
}
