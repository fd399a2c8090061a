import Foundation
import MCP
import Testing
import Trove
import TroveTestSupport
@testable import TroveMCP

/// The MCP tools and resources, through the SDK's own client over an in-memory transport: what an
/// agent calls returns what the library returns, and every mistake is a tool error that says what
/// to change. (The official Python client drives both real transports in Scripts/test-mcp-client.sh.)
@Suite("MCP tools and resources answer from the index", .serialized)
struct MCPToolsAnswerFromTheIndexTests {
    let folder: TemporaryFolder
    let trove: TroveIndex

    init() throws {
        folder = try TemporaryFolder("trove-mcp")
        try folder.write("docs/gannet.md", "# Gannet Head\n\nGannet Head lighthouse was first lit in 1853.\nIts lens was made in Paris.\n")
        try folder.write("docs/bread.txt", "Sourdough bread rises with wild yeast kept alive in a flour and water starter.\n")
        trove = TroveIndex(indexFile: folder.url.appendingPathComponent("index.sqlite"),
                           models: ModelLocation(folder: Fixtures.modelsFolder))
        _ = try trove.ingest([folder.url.appendingPathComponent("docs")])
    }

    /// A client connected to a fresh server over this index.
    func withClient(_ body: (Client) async throws -> Void) async throws {
        let (clientSide, serverSide) = await InMemoryTransport.createConnectedPair()
        let server = await TroveMCPServer(trove: trove).makeServer()
        try await server.start(transport: serverSide)
        let client = Client(name: "test", version: "1")
        _ = try await client.connect(transport: clientSide)
        try await body(client)
        await client.disconnect()
        await server.stop()
    }

    func text(_ content: [Tool.Content]) -> String {
        content.compactMap { if case .text(let text, _, _) = $0 { return text } else { return nil } }.joined()
    }

    @Test("five read-only tools with schemas")
    func tools() async throws {
        try await withClient { client in
            let tools = try await client.listTools().tools
            #expect(tools.map(\.name).sorted() == ["ask", "get_document", "list_documents", "search", "status"])
            #expect(tools.allSatisfy { $0.annotations.readOnlyHint == true && $0.annotations.destructiveHint == false })
            let search = try #require(tools.first { $0.name == "search" })
            #expect(search.inputSchema.objectValue?["required"] == ["query"])
        }
    }

    @Test("search returns the library's passages, best first, with their places in the text")
    func search() async throws {
        let expected = try trove.search("when was the lighthouse first lit", k: 2)
        try await withClient { client in
            let (content, isError) = try await client.callTool(name: "search", arguments: ["query": "when was the lighthouse first lit", "k": 2])
            #expect(isError != true)
            let shown = text(content)
            #expect(shown.hasPrefix("[1] \(expected[0].path)"))
            #expect(shown.contains(expected[0].text))
            #expect(shown.contains("[2] \(expected[1].path)"))
        }
    }

    @Test("get_document reads lines, characters or the whole text, by id or by the end of a path")
    func getDocument() async throws {
        let gannet = try #require(try trove.documents().first { $0.path.hasSuffix("gannet.md") })
        let whole = try trove.document(.id(gannet.id))
        #expect(whole.text == "# Gannet Head\n\nGannet Head lighthouse was first lit in 1853.\nIts lens was made in Paris.\n")
        #expect(try trove.document(.path("docs/gannet.md")) == whole)
        let lines = try trove.document(.id(gannet.id), lines: 3...4)
        #expect(lines.text == "Gannet Head lighthouse was first lit in 1853.\nIts lens was made in Paris.")
        #expect((lines.lineStart, lines.lineEnd, lines.totalLines) == (3, 4, 5))
        let characters = try trove.document(.id(gannet.id), characters: 2..<13)
        #expect(characters.text == "Gannet Head")
        try await withClient { client in
            let (content, isError) = try await client.callTool(name: "get_document",
                                                               arguments: ["path": "gannet.md", "line_start": 3, "line_end": 3])
            #expect(isError != true)
            #expect(text(content) == "Gannet Head lighthouse was first lit in 1853.")
        }
    }

    static let mistakes: [(String, [String: Value], String)] = [
        ("search", ["query": "x", "k": 0], "between 1 and 50"),
        ("search", ["query": "x", "mode": "fuzzy"], "hybrid, dense or keyword"),
        ("search", ["k": 3], "missing field `query`"),
        ("search", ["query": 42], "field `query` must be a string"),
        ("search", ["query": "x", "colour": "red"], "unknown argument `colour`"),
        ("search", ["query": "x", "since": "yesterday"], "not an ISO 8601 date"),
        ("search", ["query": "x", "paths": ["nowhere/*"]], "no document of the index matches"),
        ("get_document", [:], "`id` or its `path`"),
        ("get_document", ["id": 99999], "no document has the id 99999"),
        ("get_document", ["id": 1, "line_start": 1, "start": 0], "not both"),
        ("list_documents", ["limit": 0], "between 1 and 1000"),
    ]

    @Test("every mistake is a tool error naming what to change", arguments: mistakes)
    func mistakes(tool: String, arguments: [String: Value], message: String) async throws {
        try await withClient { client in
            let (content, isError) = try await client.callTool(name: tool, arguments: arguments)
            #expect(isError == true)
            #expect(text(content).contains(message), "\(text(content))")
        }
    }

    @Test("an unknown tool is a protocol error")
    func unknownTool() async throws {
        try await withClient { client in
            await #expect(throws: MCPError.self) { _ = try await client.callTool(name: "delete_everything") }
        }
    }

    @Test("documents are resources, listed and read by trove:// URI")
    func resources() async throws {
        let documents = try trove.documents()
        try await withClient { client in
            let listed = try await client.listResources().resources
            #expect(listed.map(\.uri).sorted() == documents.map { "trove://document/\($0.id)" }.sorted())
            let first = try #require(documents.first)
            let contents = try await client.readResource(uri: "trove://document/\(first.id)")
            #expect(contents.first?.text == (try trove.document(.id(first.id)).text))
            await #expect(throws: MCPError.self) { _ = try await client.readResource(uri: "trove://document/424242") }
        }
    }

    @Test("HTTP sessions: initialize opens one, other requests must name it, DELETE ends it")
    func httpSessions() async throws {
        let sessions = MCPHTTPSessions(mcp: TroveMCPServer(trove: trove))
        let headers = ["Content-Type": "application/json", "Accept": "application/json, text/event-stream"]
        let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
        let list = #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#
        let orphan = await sessions.handle(HTTPRequest(method: "POST", headers: headers, body: Data(list.utf8)))
        #expect(orphan.statusCode == 400)
        let opened = await sessions.handle(HTTPRequest(method: "POST", headers: headers, body: Data(initialize.utf8)))
        #expect(opened.statusCode == 200)
        let id = try #require(opened.headers[HTTPHeaderName.sessionID])
        #expect(await sessions.openSessions == 1)
        let stranger = await sessions.handle(HTTPRequest(method: "POST", headers: headers.merging([HTTPHeaderName.sessionID: "nope"]) { $1 },
                                                         body: Data(list.utf8)))
        #expect(stranger.statusCode == 404)
        let ended = await sessions.handle(HTTPRequest(method: "DELETE", headers: [HTTPHeaderName.sessionID: id]))
        #expect(ended.statusCode == 200)
        #expect(await sessions.openSessions == 0)
    }
}
