import Foundation
import MCP
import Trove

/// Every document of the index as an MCP resource, `trove://document/{id}`, whose contents are
/// its extracted text. Listed by path, a page at a time (the cursor is the offset of the next page).
enum MCPDocumentResource {
    static let scheme = "trove://document/"
    static let pageSize = 500

    static let template = Resource.Template(uriTemplate: scheme + "{id}", name: "document", title: "An indexed document",
                                            description: "The extracted text of a document of the index, by its id (list_documents).",
                                            mimeType: "text/plain")

    static func uri(_ id: Int64) -> String { scheme + String(id) }

    /// The id in a `trove://document/{id}` URI, nil for any other URI.
    static func id(_ uri: String) -> Int64? {
        guard uri.hasPrefix(scheme) else { return nil }
        return Int64(uri.dropFirst(scheme.count))
    }
}

extension TroveMCPServer {
    func listResources(cursor: String?) async throws -> ListResources.Result {
        let offset = try cursor.map { cursor in
            guard let offset = Int(cursor), offset >= 0 else { throw MCPError.invalidParams("not a cursor of this server: \(cursor)") }
            return offset
        } ?? 0
        let trove = self.trove
        let all = try await engine { try trove.documents() }
        let page = all.dropFirst(offset).prefix(MCPDocumentResource.pageSize)
        let resources = page.map { document in
            Resource(name: document.path, uri: MCPDocumentResource.uri(document.id), title: document.title,
                     description: "\(document.format), \(document.chunks) passages", mimeType: "text/plain")
        }
        let next = offset + page.count < all.count ? String(offset + page.count) : nil
        return ListResources.Result(resources: Array(resources), nextCursor: next)
    }

    func readResource(_ uri: String) async throws -> ReadResource.Result {
        guard let id = MCPDocumentResource.id(uri) else {
            throw MCPError.invalidParams("not a Trove resource: \(uri) (they are \(MCPDocumentResource.scheme){id})")
        }
        let trove = self.trove
        do {
            let content = try await engine { try trove.document(.id(id)) }
            return ReadResource.Result(contents: [.text(content.text, uri: uri, mimeType: "text/plain")])
        } catch let error as TroveError where error.underlying is DocumentNotFound {
            throw MCPError.serverError(code: -32002, message: "resource not found: \(uri) (\(error.underlying))")
        }
    }
}
