import Foundation
import Hummingbird
import Logging
import NIOCore
import Store
import Trove
import TroveMCP

/// `trove serve`: the index and both models kept in memory, answering over HTTP.
///
/// Trove's own endpoints (`/v1/search`, `/v1/ask`, `/v1/documents`, `/v1/stats`, `/health`) and
/// OpenAI-compatible ones (`/v1/embeddings`, `/v1/chat/completions`, `/v1/models`), and the Model
/// Context Protocol at `/mcp` (``TroveServer/addMCPRoutes(to:)``); JSON in and
/// out, errors in OpenAI's error shape (``APIError``). Searches and embeddings run concurrently
/// (concurrent searches share encoder passes, ``QueryBatcher``); generations and ingests wait in
/// a ``FairQueue`` each. README.md lists every endpoint.
///
///     let server = TroveServer(trove: TroveIndex(indexFile: url, models: .resolve()),
///                              configuration: ServerConfiguration(uploadsFolder: uploads))
///     try await server.run()          // until SIGINT or SIGTERM, then finishes open requests
public struct TroveServer: Sendable {
    public let trove: TroveIndex
    public let configuration: ServerConfiguration
    let generations: FairQueue
    let ingests = FairQueue(slots: 1)
    let queries: QueryBatcher
    /// MCP clients' sessions at `/mcp`; their `ask` waits in the same line as every generation.
    let mcpSessions: MCPHTTPSessions
    let started = Date()

    public init(trove: TroveIndex, configuration: ServerConfiguration) {
        self.trove = trove
        self.configuration = configuration
        let generations = FairQueue(slots: configuration.concurrentGenerations)
        self.generations = generations
        queries = QueryBatcher(embed: { [trove] in try trove.embedQueries($0) })
        mcpSessions = MCPHTTPSessions(mcp: TroveMCPServer(trove: trove, answer: { question, options in
            try await generations.run { try await BlockingWork.run { try trove.ask(question, options: options) } }
        }))
    }

    /// Every route behind the error, host/origin and token checks.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorResponseMiddleware())
        router.add(middleware: RequestGuardMiddleware(configuration: configuration))
        addStatusRoutes(to: router)
        addRetrievalRoutes(to: router)
        addOpenAIRoutes(to: router)
        addDocumentRoutes(to: router)
        addMCPRoutes(to: router)
        return router
    }

    /// The application, bound as configured; `onServerRunning` receives the bound port.
    public func makeApplication(logger: Logger? = nil,
                                onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        // The idle timeout closes a connection that sends no whole request part for that long
        // (a head trickled byte by byte, a body that stops, a silent keep-alive); `JSONBody`
        // bounds a whole body. A second's grace lets a stalled body get its 408 first.
        let idle = configuration.requestReadTimeout + .seconds(1)
        let timeout = TimeAmount.nanoseconds(Int64(idle / .nanoseconds(1)))
        return Application(router: makeRouter(),
                    server: .http1(configuration: .init(idleTimeout: timeout)),
                    configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                         serverName: "trove"),
                    onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
                    logger: logger ?? Logger(label: "trove.serve"))
    }

    /// Serves until SIGINT or SIGTERM; then stops accepting connections and lets the requests in
    /// flight finish (a generation runs to its end) before returning.
    public func run(logger: Logger? = nil, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try configuration.validate()
        try await makeApplication(logger: logger, onServerRunning: onServerRunning).runService()
    }

    /// The error a failed engine call becomes: a prompt that cannot fit is the client's (400),
    /// anything else the server's (500, with Trove's message naming the file and problem).
    func apiError(_ error: Error) -> APIError {
        if let error = error as? APIError { return error }
        if let tooLong = error as? PromptTooLong {
            return .badRequest(tooLong.description, param: "messages", code: "context_length_exceeded")
        }
        if let error = error as? TroveError, let tooLong = error.underlying as? PromptTooLong {
            return .badRequest(tooLong.description, param: "messages", code: "context_length_exceeded")
        }
        if let error = ((error as? TroveError)?.underlying ?? error) as? StoreError, error.isReadOnlyIndex {
            return APIError(.forbidden, "\(error)", code: "index_read_only")
        }
        if let nothing = ((error as? TroveError)?.underlying ?? error) as? FilterMatchesNothing {
            return .badRequest(nothing.description, param: "filter", code: "filter_matches_nothing")
        }
        if error is CancellationError { return APIError(.init(code: 499, reasonPhrase: "Client Closed Request"), "the client went away") }
        return APIError(.internalServerError, "\(error)")
    }

    /// A request body decoded as JSON within the configured size and time (see ``JSONBody``).
    func decodeBody<T: Decodable>(_ type: T.Type, from body: RequestBody) async throws -> T {
        try await JSONBody.decode(type, from: body, limit: configuration.maxBodyBytes, timeout: configuration.requestReadTimeout)
    }

    /// Runs engine work off the cooperative threads, turning its errors into ``APIError``s.
    func engine<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await BlockingWork.run(work)
        } catch {
            throw apiError(error)
        }
    }
}
