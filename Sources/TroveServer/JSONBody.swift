import Foundation
import Hummingbird
import NIOCore
import Trove

/// Reads a request body as JSON into `T`, turning every way it can be wrong into a 4xx with a
/// message that names the field: too large (413), too slow (408), empty, not JSON, a missing
/// field, a wrong type. The body is read whatever its `Content-Type` (`curl -d` sends form
/// encoding by default).
enum JSONBody {
    static func decode<T: Decodable>(_ type: T.Type, from body: RequestBody, limit: Int, timeout: Duration) async throws -> T {
        try decode(type, from: Data(buffer: try await collect(body, limit: limit, timeout: timeout)))
    }

    /// The whole body, if it is at most `limit` bytes and arrives within `timeout`. A client that
    /// announces more bytes than it sends (a wrong `Content-Length`, a huge chunk size) would
    /// otherwise hold the request open for ever: when the time is up the read is cancelled, which
    /// ends the connection's input, and the client gets 408 before the connection closes.
    static func collect(_ body: RequestBody, limit: Int, timeout: Duration) async throws -> ByteBuffer {
        let collected: ByteBuffer? = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                do {
                    return try await body.collect(upTo: limit)
                } catch is NIOTooManyBytesError {
                    throw APIError(.contentTooLarge, "the request body is larger than \(limit) bytes (the server's --max-body)")
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let collected else {
            var error = APIError(.requestTimeout, "the request body did not arrive whole within \(timeout.seconds) s " +
                                 "(the server's --read-timeout): check its Content-Length or chunk sizes", code: "request_timeout")
            error.headers[.connection] = "close"
            throw error
        }
        return collected
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            throw APIError.badRequest("the request body is empty: send a JSON object")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as APIError {
            throw error
        } catch let error as DecodingError {
            throw explain(error)
        } catch {
            throw APIError.badRequest("the request body could not be read: \(error)")
        }
    }

    /// One sentence per kind of decoding failure, naming the field (``DecodingProblem``).
    static func explain(_ error: DecodingError) -> APIError {
        let problem = DecodingProblem(error)
        return .badRequest(problem.description, param: problem.field)
    }
}

extension Duration {
    /// Whole seconds, for messages ("30 s").
    var seconds: Int64 { components.seconds }
}
