import Hummingbird
import Logging
import NIOCore
import ParleyCore

/// Turns every error into the contract's JSON (`{"error": {"code", "message"}}`) with
/// its status, in one place: `ParleyError` renders itself (`HTTPResponseError`);
/// Hummingbird's own errors and decoding failures are put in our words first. Unknown
/// errors are logged and answered 500 without detail.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ParleyRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as ParleyError {
            if error.status.code >= 500 { context.logger.error("request failed", metadata: ["error": "\(error.message)"]) }
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            return try Self.translate(error).response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            return try ParleyError.tooLarge(field: "body", limit: Limits.maxRequestBodyBytes).response(from: request, context: context)
        } catch let error as DecodingError {
            return try ParleyJSONDecoder.describe(error).response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            var response = try ErrorBody(code: "internal_error", message: "the server failed; the error was logged")
                .response(from: request, context: context)
            response.status = .internalServerError
            return response
        }
    }

    /// Hummingbird's own errors (unknown route, body too large, bad method) in our words.
    static func translate(_ error: HTTPError) -> ParleyError {
        switch error.status {
        case .notFound: .notFound(what: "route")
        case .contentTooLarge: .tooLarge(field: "body", limit: Limits.maxRequestBodyBytes)
        case .methodNotAllowed: .invalid(field: "method", reason: "not allowed on this path")
        case .unauthorized: .unauthenticated(reason: error.body ?? "unauthorized")
        default:
            error.status.code >= 500
                ? .unavailable(reason: error.body ?? "unavailable")
                : .invalid(field: "request", reason: error.body ?? error.status.reasonPhrase)
        }
    }
}
