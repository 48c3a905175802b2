import Hummingbird
import Logging
import NIOCore
import ParleyCore

/// Turns every error into the contract's JSON (`{"error": {"code", "message"}}`) with
/// its status, in one place. Unknown errors are logged and answered 500 without detail.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ParleyRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as ParleyError {
            if error.httpStatus >= 500 { context.logger.error("request failed", metadata: ["error": "\(error.message)"]) }
            return Self.response(for: error)
        } catch let error as HTTPError {
            return Self.response(for: Self.translate(error))
        } catch is NIOTooManyBytesError {
            return Self.response(for: .tooLarge(field: "body", limit: Limits.maxRequestBodyBytes))
        } catch let error as DecodingError {
            return Self.response(for: JSONBody.describe(error))
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return JSONBody.response(
                ErrorBody(code: "internal_error", message: "the server failed; the error was logged"),
                status: .internalServerError)
        }
    }

    static func response(for error: ParleyError) -> Response {
        var response = JSONBody.response(
            ErrorBody(code: error.code, message: error.message), status: .init(code: error.httpStatus))
        if case .rateLimited(let seconds) = error { response.headers[.retryAfter] = String(seconds) }
        return response
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
