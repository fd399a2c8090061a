import Foundation
import Hummingbird
import Logging

/// The outermost middleware: whatever goes wrong becomes a JSON error in the one shape of
/// ``APIError`` (Hummingbird's own errors, such as 404 for an unknown path, included), and an
/// unexpected error is logged and answered with a 500 that does not leak internals beyond its text.
struct ErrorResponseMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            let message = error.body ?? (error.status == .notFound
                ? "no endpoint \(request.method) \(request.uri.path) (see GET /v1/models, POST /v1/search, … in the README)"
                : error.status.reasonPhrase)
            var api = APIError(error.status, message)
            api.headers = error.headers
            return try api.response(from: request, context: context)
        } catch let error as HTTPResponseError {
            return try APIError(error.status, "\(error)").response(from: request, context: context)
        } catch {
            context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            return try APIError(.internalServerError, "\(error)").response(from: request, context: context)
        }
    }
}
