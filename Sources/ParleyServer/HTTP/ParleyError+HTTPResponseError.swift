import Hummingbird
import NIOCore
import ParleyCore

/// Hummingbird renders a thrown `ParleyError` as the contract's error JSON with the
/// status the contract gives it (and `Retry-After` when rate limited), wherever it is
/// thrown: in a route, a middleware or a WebSocket upgrade.
extension ParleyError: HTTPResponseError {
    public var status: HTTPResponse.Status {
        switch self {
        case .invalid, .missingVariables, .contentTypeMismatch: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict, .staleEpoch: .conflict
        case .tooLarge: .contentTooLarge
        case .rateLimited: .tooManyRequests
        case .unavailable, .pushNotConfigured, .auditLogCorrupt: .serviceUnavailable
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try ErrorBody(code: code, message: message).response(from: request, context: context)
        response.status = status
        if case .rateLimited(let seconds) = self { response.headers[.retryAfter] = String(seconds) }
        return response
    }
}
