import Foundation
import MCP
import Trove

/// What each tool does with its arguments. A tool's own failure (a bad argument, a document that
/// is not there, a filter that matches nothing) is a result with `isError` and a sentence saying
/// what to change, as MCP asks, so the agent can correct itself; only an unknown tool is a
/// protocol error.
extension TroveMCPServer {
    func call(_ tool: MCPTool, arguments: [String: Value]) async -> CallTool.Result {
        do {
            let known = Set(tool.inputSchema.objectValue?["properties"]?.objectValue?.keys.map { $0 } ?? [])
            if let unknown = arguments.keys.sorted().first(where: { !known.contains($0) }) {
                throw ToolProblem("unknown argument `\(unknown)`; \(tool.rawValue) takes " +
                                  (known.isEmpty ? "none" : known.sorted().joined(separator: ", ")))
            }
            switch tool {
            case .search: return try await search(arguments)
            case .ask: return try await ask(arguments)
            case .getDocument: return try await getDocument(arguments)
            case .listDocuments: return try await listDocuments(arguments)
            case .status: return try await status()
            }
        } catch {
            return CallTool.Result(content: [Self.text("error: \(error)")], isError: true)
        }
    }

    private struct SearchArguments: Decodable {
        var query: String
        var k: Int?
        var mode: String?
    }

    private func search(_ arguments: [String: Value]) async throws -> CallTool.Result {
        let request = try decode(SearchArguments.self, arguments)
        let query = try Self.nonEmpty(request.query, "query")
        let k = try Self.k(request.k), filter = try decode(SearchFilter.self, arguments)
        let mode = try Self.mode(request.mode), trove = self.trove
        let results = try await engine { try trove.search(query, k: k, mode: mode, filter: filter) }
        let output = SearchOutput(query: query, mode: mode, filter: filter.isEmpty ? nil : filter, results: results)
        let text = results.isEmpty ? "No passage matches." : results.map(Self.describe).joined(separator: "\n\n")
        return try CallTool.Result(content: [Self.text(text)], structuredContent: output)
    }

    private struct AskArguments: Decodable {
        var question: String
        var k: Int?
    }

    private func ask(_ arguments: [String: Value]) async throws -> CallTool.Result {
        let request = try decode(AskArguments.self, arguments)
        var options = AskOptions()
        options.k = try Self.k(request.k)
        options.filter = try decode(SearchFilter.self, arguments)
        let answer = try await self.answer(try Self.nonEmpty(request.question, "question"), options)
        guard answer.isSupported, let cited = answer.citedAnswer else {
            return try CallTool.Result(content: [Self.text(Answer.notCoveredText)], structuredContent: answer)
        }
        let sources = answer.citations.map { citation in
            "[\(citation.n)] \(citation.location)" + (citation.section.map { " — \($0)" } ?? "")
        }
        let text = ([cited] + (answer.answer.map { ["Short answer: \($0)"] } ?? []) + ["", "Sources:"] + sources)
            .joined(separator: "\n")
        return try CallTool.Result(content: [Self.text(text)], structuredContent: answer)
    }

    private struct GetDocumentArguments: Decodable {
        var id: Int64?
        var path: String?
        var lineStart: Int?
        var lineEnd: Int?
        var start: Int?
        var end: Int?
        enum CodingKeys: String, CodingKey {
            case id, path, start, end
            case lineStart = "line_start"
            case lineEnd = "line_end"
        }
    }

    private func getDocument(_ arguments: [String: Value]) async throws -> CallTool.Result {
        let request = try decode(GetDocumentArguments.self, arguments)
        let reference: DocumentReference
        switch (request.id, request.path) {
        case (let id?, nil): reference = .id(id)
        case (nil, let path?): reference = .path(path)
        default: throw ToolProblem("give the document's `id` or its `path`, one of the two")
        }
        let byLines = request.lineStart != nil || request.lineEnd != nil
        let byCharacters = request.start != nil || request.end != nil
        if byLines && byCharacters { throw ToolProblem("give lines (line_start, line_end) or characters (start, end), not both") }
        let lines = byLines ? (request.lineStart ?? 1)...max(request.lineEnd ?? Int.max, request.lineStart ?? 1) : nil
        let characters = byCharacters ? (request.start ?? 0)..<max(request.end ?? Int.max, request.start ?? 0) : nil
        let trove = self.trove, limit = MCPTool.maximumDocumentCharacters
        var content = try await engine { try trove.document(reference, lines: lines, characters: characters) }
        var text = content.text
        if content.end - content.start > limit {
            let first = content.start
            content = try await engine { try trove.document(reference, characters: first..<(first + limit)) }
            text = content.text + "\n[… cut at \(limit) characters: this part ends at character \(content.end) of " +
                "\(content.totalCharacters) (line \(content.lineEnd) of \(content.totalLines)); " +
                "ask again with start=\(content.end) or a line range to read on]"
        }
        return try CallTool.Result(content: [Self.text(text)], structuredContent: content)
    }

    private struct ListArguments: Decodable {
        var offset: Int?
        var limit: Int?
    }

    private struct DocumentList: Codable {
        var total: Int
        var offset: Int
        var documents: [DocumentSummary]
    }

    private func listDocuments(_ arguments: [String: Value]) async throws -> CallTool.Result {
        let request = try decode(ListArguments.self, arguments)
        let offset = request.offset ?? 0, limit = request.limit ?? 100
        guard offset >= 0 else { throw ToolProblem("`offset` must be 0 or more, got \(offset)") }
        guard (1...MCPTool.maximumListed).contains(limit) else {
            throw ToolProblem("`limit` must be between 1 and \(MCPTool.maximumListed), got \(limit)")
        }
        let trove = self.trove
        let all = try await engine { try trove.documents() }
        let page = Array(all.dropFirst(offset).prefix(limit))
        var lines = page.map { "\($0.id)\t\($0.path)\t\($0.format)\t\($0.title ?? "")\t\($0.chunks) passages" }
        lines.insert("\(all.count) documents; \(page.isEmpty ? "none" : "\(offset + 1)–\(offset + page.count)") shown (id, path, format, title, passages)", at: 0)
        return try CallTool.Result(content: [Self.text(lines.joined(separator: "\n"))],
                                   structuredContent: DocumentList(total: all.count, offset: offset, documents: page))
    }

    private func status() async throws -> CallTool.Result {
        let trove = self.trove
        let stats = try await engine { try trove.stats() }
        let formats = stats.formats.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let text = "index \(stats.index): \(stats.documents) documents, \(stats.chunks) passages, \(stats.fileBytes) bytes; " +
            "encoder \(stats.encoder ?? "none yet"); formats: \(formats.isEmpty ? "none" : formats)"
        return try CallTool.Result(content: [Self.text(text)], structuredContent: stats)
    }

    /// A tool result's text content.
    static func text(_ text: String) -> Tool.Content { .text(text: text, annotations: nil, _meta: nil) }

    // MARK: - Arguments

    private func decode<T: Decodable>(_ type: T.Type, _ arguments: [String: Value]) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: try JSONEncoder().encode(arguments))
        } catch let error as DecodingError {
            throw DecodingProblem(error, document: "the arguments")
        }
    }

    private static func nonEmpty(_ text: String, _ name: String) throws -> String {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ToolProblem("`\(name)` must not be empty")
        }
        return text
    }

    private static func k(_ k: Int?) throws -> Int {
        let k = k ?? 5
        guard (1...MCPTool.maximumK).contains(k) else { throw ToolProblem("`k` must be between 1 and \(MCPTool.maximumK), got \(k)") }
        return k
    }

    private static func mode(_ name: String?) throws -> SearchMode {
        guard let name else { return .default }
        guard let mode = SearchMode(rawValue: name) else {
            throw ToolProblem("`mode` must be hybrid, dense or keyword, got \"\(name)\"")
        }
        return mode
    }

    /// One passage as an agent reads it: rank, where it is, score, then the text.
    static func describe(_ result: SearchResult) -> String {
        let place = Citation.location(path: result.path, lineStart: result.lineStart, lineEnd: result.lineEnd,
                                      anchor: result.anchor, page: result.page)
        let section = result.headingPath ?? result.title
        return "[\(result.rank)] \(place)" + (section.map { " — \($0)" } ?? "") +
            String(format: " (score %.3f)\n", result.score) + result.text
    }
}

/// A tool argument that cannot be used, said so that the agent can fix its call.
struct ToolProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
