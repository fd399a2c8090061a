import Foundation

/// What a client controls before any engine work starts, checked exactly as the routes check it:
/// each JSON body shape decoded by ``JSONBody`` and then `validated()`, and the `Host` header
/// parsed by ``HostHeader``. For the unit tests and the fuzzer (Fuzz/README.md), which feed it
/// any bytes: every refusal must be a 4xx ``APIError``, never a crash and never a 5xx.
package enum RequestDecoding {
    /// The body as each route would take it (`/v1/search`, `/v1/ask`, `/v1/embeddings`,
    /// `/v1/chat/completions`, `/v1/documents`): nil where it is accepted, else the status code
    /// and message the client would get (any error that is not an ``APIError`` is a 500).
    package static func refusals(ofBody body: Data) -> [(route: String, status: Int, message: String)?] {
        func refusal(_ route: String, _ check: () throws -> Void) -> (route: String, status: Int, message: String)? {
            do {
                try check()
                return nil
            } catch let error as APIError {
                return (route, error.status.code, error.message)
            } catch {
                return (route, 500, "\(error)")
            }
        }
        return [
            refusal("/v1/search") { _ = try JSONBody.decode(SearchRequest.self, from: body).validated() },
            refusal("/v1/ask") { _ = try JSONBody.decode(AskRequest.self, from: body).validated() },
            refusal("/v1/embeddings") { _ = try JSONBody.decode(EmbeddingsRequest.self, from: body) },
            refusal("/v1/chat/completions") { _ = try JSONBody.decode(ChatCompletionRequest.self, from: body).validated() },
            refusal("/v1/documents") {
                if case let .text(text, name) = try JSONBody.decode(DocumentRequest.self, from: body).validated() {
                    _ = try UploadedDocuments.fileName(for: name, text: text)
                }
            },
        ]
    }

    /// The name a `Host` header value names (lower-cased, IPv6 canonical), nil when it is refused.
    package static func hostName(_ value: String) -> String? { HostHeader(parsing: value)?.name }
}
