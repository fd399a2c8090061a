import Foundation
import HTTPTypes
import Hummingbird
import MCP
import NIOCore
import Trove
import TroveMCP

/// `/mcp`: the Model Context Protocol's Streamable HTTP transport (POST a JSON-RPC message, GET
/// the session's event stream, DELETE to end it), behind the same token, Host and Origin checks
/// as every endpoint. The sessions and the protocol are ``MCPHTTPSessions``'; this adapts
/// Hummingbird's requests and responses to the SDK's.
extension TroveServer {
    func addMCPRoutes(to router: Router<BasicRequestContext>) {
        router.post("/mcp") { request, _ in try await self.mcp(request) }
        router.get("/mcp") { request, _ in try await self.mcp(request) }
        router.delete("/mcp") { request, _ in try await self.mcp(request) }
    }

    private func mcp(_ request: Request) async throws -> Response {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let body = request.method == .post
            ? Data(buffer: try await JSONBody.collect(request.body, limit: configuration.maxBodyBytes,
                                                      timeout: configuration.requestReadTimeout))
            : nil
        let answer = await mcpSessions.handle(MCP.HTTPRequest(method: request.method.rawValue, headers: headers,
                                                              body: body, path: request.uri.path))
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        let status = HTTPTypes.HTTPResponse.Status(code: answer.statusCode)
        if case .stream(let events, _) = answer {
            return Response(status: status, headers: fields, body: ResponseBody { writer in
                for try await event in events { try await writer.write(ByteBuffer(data: event)) }
                try await writer.finish(nil)
            })
        }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(data: answer.bodyData ?? Data())))
    }
}
