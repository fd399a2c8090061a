import Foundation
import MCP
import Trove

/// MCP's Streamable HTTP transport, one session per client: an `initialize` POST opens a session
/// (its id goes back in `Mcp-Session-Id`), later requests name it, `DELETE` ends it. Each session
/// has its own MCP server and transport (the SDK's `StatefulHTTPServerTransport`: JSON-RPC over
/// POST, replies as server-sent events). The HTTP framework adapts its requests to the SDK's
/// `HTTPRequest` and back (`trove serve`'s `/mcp`).
///
/// Host, Origin and the bearer token are checked by `trove serve` before a request reaches here,
/// as for every endpoint, so the SDK's own localhost-only Origin check is left out (it would
/// refuse a `--host`/`--allow-host` the server accepts). Sessions idle for `idleLimit` are closed;
/// at most `maximumSessions` are open at once, the longest idle closed first.
public actor MCPHTTPSessions {
    private struct Session {
        let server: Server
        let transport: StatefulHTTPServerTransport
        var lastUsed: ContinuousClock.Instant
    }

    private let mcp: TroveMCPServer
    private let idleLimit: Duration
    private let maximumSessions: Int
    private var sessions: [String: Session] = [:]

    public init(mcp: TroveMCPServer, idleLimit: Duration = .seconds(3600), maximumSessions: Int = 64) {
        self.mcp = mcp
        self.idleLimit = idleLimit
        self.maximumSessions = maximumSessions
    }

    public var openSessions: Int { sessions.count }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let now = ContinuousClock.now
        if let id = request.header(HTTPHeaderName.sessionID) {
            guard var session = sessions[id] else {
                return .error(statusCode: 404, .invalidRequest("no MCP session \(id) here (it ended or expired): initialize again"))
            }
            session.lastUsed = now
            sessions[id] = session
            let response = await session.transport.handleRequest(request)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 { await close(id) }
            return response
        }
        guard request.method.uppercased() == "POST", let body = request.body, Self.isInitialize(body) else {
            return .error(statusCode: 400, .invalidRequest("missing \(HTTPHeaderName.sessionID): send initialize first"))
        }
        return await open(request, now: now)
    }

    private func open(_ request: HTTPRequest, now: ContinuousClock.Instant) async -> HTTPResponse {
        for (id, session) in sessions where now - session.lastUsed > idleLimit { await close(id) }
        while sessions.count >= maximumSessions, let oldest = sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
            await close(oldest)
        }
        let id = UUID().uuidString
        let transport = StatefulHTTPServerTransport(
            sessionIDGenerator: FixedSessionID(id: id),
            validationPipeline: StandardValidationPipeline(validators: [
                AcceptHeaderValidator(mode: .sseRequired), ContentTypeValidator(), ProtocolVersionValidator(), SessionValidator(),
            ]))
        let server = await mcp.makeServer()
        do {
            try await server.start(transport: transport)
        } catch {
            await transport.disconnect()
            return .error(statusCode: 500, .internalError("could not start an MCP session: \(error)"))
        }
        sessions[id] = Session(server: server, transport: transport, lastUsed: now)
        let response = await transport.handleRequest(request)
        if case .error = response { await close(id) }
        return response
    }

    private func close(_ id: String) async {
        guard let session = sessions.removeValue(forKey: id) else { return }
        await session.server.stop()
        await session.transport.disconnect()
    }

    /// True for a JSON-RPC `initialize` request, the only message that may open a session.
    static func isInitialize(_ body: Data) -> Bool {
        struct Message: Decodable { var method: String? }
        return (try? JSONDecoder().decode(Message.self, from: body))?.method == "initialize"
    }

    private struct FixedSessionID: SessionIDGenerator {
        let id: String
        func generateSessionID() -> String { id }
    }
}
