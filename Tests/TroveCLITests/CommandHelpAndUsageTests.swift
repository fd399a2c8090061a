import Foundation
import Testing

@Suite("trove help and usage errors")
struct CommandHelpAndUsageTests {
    static let commands = ["ingest", "watch", "search", "ask", "embed", "generate", "tokenize", "eval", "stats", "list",
                           "remove", "doctor", "serve", "mcp"]

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
        (["frobnicate"], "'frobnicate' is not a trove command"),
        (["serch", "x"], "did you mean 'search'?"),
        (["injest", "x"], "did you mean 'ingest'?"),
        (["watch", "/no/such/folder"], "is not a folder"),
    ])
    func badUsageExitsTwo(arguments: [String], message: String) throws {
        let run = try TroveBinary.run(arguments)
        #expect(run.status == 2, "trove \(arguments.joined(separator: " ")) exited \(run.status): \(run.stderr)")
        #expect(run.stderr.contains(message), "stderr was: \(run.stderr)")
        #expect(run.stderr.hasPrefix("error: "), "stderr was: \(run.stderr)")
    }

    @Test("a command that reads an index that does not exist fails with 1, says how to make one, creates nothing",
          arguments: [["search", "x"], ["ask", "x"], ["stats"], ["list"], ["remove", "/tmp/x"], ["mcp"]])
    func missingIndex(arguments: [String]) throws {
        let index = FileManager.default.temporaryDirectory.appendingPathComponent("trove-missing-\(UUID().uuidString).sqlite")
        let run = try TroveBinary.run(arguments + ["--index", index.path])
        #expect(run.status == 1, "exited \(run.status): \(run.stderr)")
        #expect(run.stderr.hasPrefix("error: "))
        #expect(run.stderr.contains("trove ingest FOLDER --index \(index.path)"), "stderr was: \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: index.path))
    }

    @Test("ingest of a path that does not exist indexes the others, then fails with 1 naming it")
    func ingestMissingPath() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trove-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "The puffins return in April.\n".write(to: folder.appendingPathComponent("one.txt"), atomically: true, encoding: .utf8)
        let index = folder.appendingPathComponent("index.sqlite").path
        let run = try TroveBinary.run(["ingest", "--index", index, folder.appendingPathComponent("one.txt").path, "/no/such/folder"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("added 1,"), "stdout was: \(run.stdout)")
        #expect(run.stdout.contains("1 chunk embedded"), "stdout was: \(run.stdout)")
        #expect(run.stderr.contains("error: /no/such/folder: no such file or folder"), "stderr was: \(run.stderr)")
    }

    @Test("the default index follows $XDG_DATA_HOME, else $HOME")
    func defaultIndexLocation() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("trove-home-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        var environment = ["HOME": base.appendingPathComponent("home").path, "XDG_DATA_HOME": "", "TROVE_INDEX": ""]
        var run = try TroveBinary.run(["stats"], environment: environment)
        #expect(run.stderr.contains(base.appendingPathComponent("home/.local/share/trove/index.sqlite").path), "\(run.stderr)")
        environment["XDG_DATA_HOME"] = base.appendingPathComponent("data").path
        run = try TroveBinary.run(["stats"], environment: environment)
        #expect(run.stderr.contains(base.appendingPathComponent("data/trove/index.sqlite").path), "\(run.stderr)")
    }

    @Test("commands that only read the index do not offer model options", arguments: ["stats", "list", "remove"])
    func onlyTheirOptions(command: String) throws {
        let run = try TroveBinary.run(["help", command])
        #expect(!run.stdout.contains("--model"))
        #expect(!run.stdout.contains("--threads"))
    }

    @Test("completion scripts come from the binary", arguments: ["bash", "zsh", "fish"])
    func completionScripts(shell: String) throws {
        let run = try TroveBinary.run(["--generate-completion-script", shell])
        #expect(run.status == 0)
        #expect(run.stdout.contains("watch") && run.stdout.contains("mcp"))
    }

    @Test("a missing model folder fails with 1 and names the path")
    func missingModelsFolder() throws {
        let run = try TroveBinary.run(["embed", "hello"], environment: ["TROVE_MODELS": "/nonexistent/trove-models"])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: "))
        #expect(run.stderr.contains("/nonexistent/trove-models"))
    }
}
