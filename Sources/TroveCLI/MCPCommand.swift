import ArgumentParser
import Foundation
import MCP
import Trove
import TroveMCP

struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the index to an AI agent over the Model Context Protocol (stdio).",
        discussion: """
        Reads JSON-RPC from standard input and answers on standard output, as MCP clients (Claude \
        Desktop, editors' assistants) run a local server; messages go to standard error. Tools: \
        search, ask, get_document, list_documents, status (all read-only); each document is also \
        a resource, trove://document/{id}. `trove serve` offers the same at http://127.0.0.1:8080/mcp.

        A client's configuration (README.md, "Use Trove from an AI agent"):
          {"mcpServers": {"trove": {"command": "trove", "args": ["mcp", "--index", "/home/me/notes.sqlite"]}}}

        Examples:
          trove mcp
          trove mcp --index ~/notes.sqlite
        """)

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var kvCacheOptions: KVCacheOptions

    func run() throws {
        let trove = TroveIndex(indexFile: indexOptions.indexURL, models: kvCacheOptions.applied(to: modelOptions.location()))
        // Refuse a missing index now, with the message, rather than at the agent's first call.
        _ = try trove.stats()
        try runUntilStopped {
            let server = await TroveMCPServer(trove: trove).makeServer()
            try await server.start(transport: StdioTransport())
            await server.waitUntilCompleted()
        }
    }
}
