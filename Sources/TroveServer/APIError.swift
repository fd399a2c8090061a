import Foundation
import Hummingbird

/// A request the server will not answer, as a JSON body in OpenAI's error shape (which OpenAI
/// client libraries read), for every endpoint:
/// `{"error": {"message": "...", "type": "invalid_request_error", "param": "k", "code": null}}`.
struct APIError: HTTPResponseError, CustomStringConvertible {
    let status: HTTPResponse.Status
    /// What is wrong, in words a user can act on.
    let message: String
    /// The request field at fault, when there is one.
    var param: String?
    /// A stable machine-readable code (`context_length_exceeded`, `model_not_found`, …).
    var code: String?
    /// Extra response headers (`WWW-Authenticate` for 401).
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, param: String? = nil, code: String? = nil) {
        self.status = status
        self.message = message
        self.param = param
        self.code = code
    }

    var description: String { "\(status.code) \(message)" }

    /// OpenAI's `type`: what kind of problem this is.
    var type: String {
        switch status.code {
        case 401: return "authentication_error"
        case 403: return "permission_error"
        case 404: return "not_found_error"
        case 400..<500: return "invalid_request_error"
        default: return "server_error"
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: jsonBody)))
    }

    /// The body bytes (also sent as a server-sent `error` event when a stream fails midway).
    var jsonBody: Data {
        let body = Body(error: .init(message: message, type: type, param: param, code: code))
        return (try? JSONCoding.encoder.encode(body)) ?? Data(#"{"error":{"message":"error"}}"#.utf8)
    }

    private struct Body: Encodable {
        struct Detail: Encodable {
            let message: String
            let type: String
            let param: String?
            let code: String?

            func encode(to encoder: Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(message, forKey: .message)
                try container.encode(type, forKey: .type)
                try container.encode(param, forKey: .param)    // null rather than absent, as OpenAI does
                try container.encode(code, forKey: .code)
            }

            enum CodingKeys: String, CodingKey { case message, type, param, code }
        }

        let error: Detail
    }
}

extension APIError {
    static func badRequest(_ message: String, param: String? = nil, code: String? = nil) -> APIError {
        APIError(.badRequest, message, param: param, code: code)
    }

    static func notFound(_ message: String, code: String? = nil) -> APIError {
        APIError(.notFound, message, code: code)
    }
}

/// JSON as the server writes it: keys sorted, slashes unescaped (paths stay readable).
enum JSONCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// A 200 response with `value` as its JSON body.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
