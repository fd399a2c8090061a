import Foundation
import MCP
import Trove

/// Trove for AI agents, over the Model Context Protocol: `trove mcp` (stdio) and `/mcp` on
/// `trove serve` (Streamable HTTP). The tools (``MCPTool``) search, answer, read and list what the
/// index holds, each read-only; every document is also a resource, `trove://document/{id}`.
///
///     let server = await TroveMCPServer(trove: trove).makeServer()
///     try await server.start(transport: StdioTransport())
///     await server.waitUntilCompleted()
public struct TroveMCPServer: Sendable {
    public let trove: TroveIndex
    /// Runs one `ask`; `trove serve` passes its generation queue, so MCP waits in the same line.
    let answer: @Sendable (String, AskOptions) async throws -> Answer

    public init(trove: TroveIndex, answer: (@Sendable (String, AskOptions) async throws -> Answer)? = nil) {
        self.trove = trove
        self.answer = answer ?? { [trove] question, options in
            try await BlockingWork.run { try trove.ask(question, options: options) }
        }
    }

    static let instructions = """
        Trove searches the user's own documents (a local index of their files) and answers from \
        them with citations. Use `search` to find passages (hybrid keyword + semantic by default), \
        `get_document` to read a document or a range of its lines, `ask` for a short answer quoted \
        from the documents, `list_documents` and `status` to see what the index holds.
        """

    /// A new MCP server with Trove's tools and resources; one per client session.
    public func makeServer() async -> Server {
        let server = Server(name: "trove", version: TroveVersion.string, title: "Trove", instructions: Self.instructions,
                            capabilities: .init(resources: .init(subscribe: false, listChanged: false),
                                                tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: MCPTool.allCases.map(\.definition)) }
        await server.withMethodHandler(CallTool.self) { call in
            guard let tool = MCPTool(rawValue: call.name) else {
                throw MCPError.invalidParams("unknown tool `\(call.name)`; the tools are " +
                                             MCPTool.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return await self.call(tool, arguments: call.arguments ?? [:])
        }
        await server.withMethodHandler(ListResources.self) { request in try await self.listResources(cursor: request.cursor) }
        await server.withMethodHandler(ReadResource.self) { request in try await self.readResource(request.uri) }
        await server.withMethodHandler(ListResourceTemplates.self) { _ in
            ListResourceTemplates.Result(templates: [MCPDocumentResource.template])
        }
        return server
    }

    /// Runs index work off the cooperative threads.
    func engine<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await BlockingWork.run(work)
    }
}
