import ArgumentParser
import Dispatch
import Foundation
import Ingest
import Logging
import Trove
import TroveServer

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer searches, questions and OpenAI-style requests over HTTP.",
        discussion: """
        Keeps the index and both models in memory. Endpoints (JSON in and out; README.md has curl \
        examples): POST /v1/search, POST /v1/ask (stream: true for server-sent events), \
        POST /v1/embeddings, POST /v1/chat/completions, GET /v1/models, GET|POST /v1/documents, \
        DELETE /v1/documents/{id}, GET /v1/stats, GET /health; the model `trove` on \
        /v1/chat/completions answers from the index, with citations; MCP (Streamable HTTP) at /mcp.
        --watch FOLDER keeps the index in step with a folder while serving, as `trove watch` does.

        Listens on 127.0.0.1 unless --host says otherwise; any other address needs --token (or \
        --insecure). Requests whose Host or Origin is not this server or loopback are refused \
        (DNS rebinding); only --allow-origin origins get CORS headers. One generation runs at a \
        time, the others wait in line in arrival order; searches and embeddings run alongside. \
        SIGINT or SIGTERM stops accepting connections and lets requests in flight finish.

        Examples:
          trove serve
          trove serve --port 9000 --read-only
          trove serve --watch ~/notes
          TROVE_TOKEN=secret trove serve --host 0.0.0.0
          curl -s localhost:8080/v1/search -d '{"query": "storm damage", "k": 3}'
        """)

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var kvCacheOptions: KVCacheOptions
    @OptionGroup var fileSize: FileSizeOptions

    @Option(name: .long, help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The TCP port (0: any free port, printed at start).")
    var port = 8080

    @Option(name: .long, help: ArgumentHelp("Require Authorization: Bearer TOKEN (default: $TROVE_TOKEN).", valueName: "token"))
    var token: String?

    @Flag(name: .long, help: "Allow a non-loopback --host without a token.")
    var insecure = false

    @Flag(name: .long, help: "Refuse ingest and delete requests, and write nothing beside the index.")
    var readOnly = false

    @Option(name: .long, help: ArgumentHelp("A browser origin allowed to call the API, with CORS (repeatable).", valueName: "origin"))
    var allowOrigin: [String] = []

    @Option(name: .long, help: ArgumentHelp("A host name clients may use besides loopback and --host (repeatable).", valueName: "name"))
    var allowHost: [String] = []

    @Option(name: .long, help: ArgumentHelp("A folder to keep the index in step with, as `trove watch` does (repeatable).", valueName: "folder"))
    var watch: [String] = []

    @Option(name: .long, help: ArgumentHelp("Largest request body in bytes.", valueName: "bytes"))
    var maxBody = 8 << 20

    @Option(name: .long, help: ArgumentHelp("Generations that run at once; the rest wait in line.", valueName: "n"))
    var concurrentGenerations = 1

    @Option(name: .long, help: ArgumentHelp(
        "Seconds a request may take to arrive: a silent connection is closed, a slower body gets 408.",
        valueName: "seconds"))
    var readTimeout = 30

    @Option(name: .long, help: ArgumentHelp(
        "Longest chat prompt accepted, in decoder tokens; a longer one gets 400 before it waits for the decoder.",
        valueName: "tokens"))
    var maxPromptTokens = 2048

    @Option(name: .long, help: ArgumentHelp(
        "Seconds one generation may run; then it stops and replies with what it has (finish_reason length).",
        valueName: "seconds"))
    var maxGenerationSeconds = 120

    func validate() throws {
        if maxPromptTokens < 1 { throw ValidationError("--max-prompt-tokens must be at least 1, got \(maxPromptTokens)") }
        if !(1...86400).contains(maxGenerationSeconds) {
            throw ValidationError("--max-generation-seconds must be between 1 and 86400, got \(maxGenerationSeconds)")
        }
        if maxBody < 1024 { throw ValidationError("--max-body must be at least 1024 bytes, got \(maxBody)") }
        if !(1...3600).contains(readTimeout) {
            throw ValidationError("--read-timeout must be between 1 and 3600 seconds, got \(readTimeout)")
        }
        for folder in watch where !WatchCommand.isFolder(folder) {
            throw ValidationError("--watch \(folder) is not a folder")
        }
        if readOnly && !watch.isEmpty { throw ValidationError("--watch writes to the index: it cannot go with --read-only") }
        if !(1...16).contains(concurrentGenerations) {
            throw ValidationError("--concurrent-generations must be between 1 and 16, got \(concurrentGenerations)")
        }
    }

    func run() throws {
        let indexURL = indexOptions.indexURL
        var configuration = ServerConfiguration(uploadsFolder: URL(fileURLWithPath: indexURL.path + ".uploads"))
        configuration.host = host
        configuration.port = port
        configuration.token = token ?? ProcessInfo.processInfo.environment["TROVE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.insecure = insecure
        configuration.readOnly = readOnly
        configuration.allowedOrigins = allowOrigin
        configuration.allowedHosts = allowHost
        configuration.maxBodyBytes = maxBody
        configuration.concurrentGenerations = concurrentGenerations
        configuration.fileSizeLimits = fileSize.limits
        configuration.requestReadTimeout = .seconds(readTimeout)
        configuration.maxPromptTokens = maxPromptTokens
        configuration.maxGenerationTime = .seconds(maxGenerationSeconds)
        do {
            try configuration.validate()
        } catch {
            throw ValidationError("\(error)")
        }

        let trove = TroveIndex(indexFile: indexURL, models: kvCacheOptions.applied(to: modelOptions.location()), readOnly: readOnly)
        if let problem = try trove.preload() {
            Output.error("warning: generation is unavailable (\(problem)); search and embeddings still work")
        }
        let server = TroveServer(trove: trove, configuration: configuration)
        let logger = { var logger = Logger(label: "trove.serve"); logger.logLevel = .warning; return logger }()
        let scheme = "http://", shownHost = host.contains(":") ? "[\(host)]" : host
        let stopWatching = CancellationFlag()
        let watching = watch.isEmpty ? nil : startWatching(trove, stop: stopWatching)
        try runUntilStopped {
            try await server.run(logger: logger) { port in
                Output.error("trove serve: listening on \(scheme)\(shownHost):\(port) (index \(indexURL.path))")
            }
        }
        stopWatching.cancel()
        watching?.wait()
        Output.error("trove serve: stopped")
    }
}

extension ServeCommand {
    /// `--watch`: `trove watch` on its own thread beside the server; the semaphore is signalled when it ends.
    func startWatching(_ trove: TroveIndex, stop: CancellationFlag) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0), folders = watch.map { URL(fileURLWithPath: $0) }, limits = fileSize.limits
        let thread = Thread {
            do {
                try FileSizeLimits.$current.withValue(limits) {
                    try trove.watch(folders, stop: stop, notice: { Output.error("trove serve: watch: \($0)") },
                                    onRound: { Output.error("trove serve: watch: " + WatchCommand.describe($0)) })
                }
            } catch {
                Output.error("error: trove serve: watching stopped: \(error)")
            }
            done.signal()
        }
        thread.start()
        return done
    }
}

/// Runs async work to its end from a synchronous command (ArgumentParser's root is synchronous:
/// it re-executes itself for OpenBLAS before anything async starts).
func runUntilStopped(_ work: @escaping @Sendable () async throws -> Void) throws {
    final class Outcome: @unchecked Sendable { var error: Error? }
    let outcome = Outcome(), done = DispatchSemaphore(value: 0)
    Task {
        do { try await work() } catch { outcome.error = error }
        done.signal()
    }
    done.wait()
    if let error = outcome.error { throw error }
}
