/// Every failure a caller can be told about. The HTTP server turns each into the
/// contract's error JSON (`{"error": {"code", "message"}}`) and status (ParleyServer's
/// `ParleyError+HTTPResponseError.swift`); the WebSocket into an `error` frame.
public enum ParleyError: Error, Sendable, Equatable {
    /// 400: `field` names what was wrong, `reason` says why.
    case invalid(field: String, reason: String)
    /// 400 `missing_variables`: a template used without a value (and no fallback) for these.
    case missingVariables([String])
    /// 400 `content_type_mismatch`: an upload declared an image type its bytes are not.
    case contentTypeMismatch(declared: String, actual: String)
    /// 401: no usable credentials.
    case unauthenticated(reason: String)
    /// 403: the caller can see the conversation but its role may not do this.
    case forbidden(reason: String)
    /// 404: unknown, or not visible to the caller (existence is not leaked).
    case notFound(what: String)
    /// 409
    case conflict(reason: String)
    /// 409 `stale_epoch`: an end-to-end encrypted message or key set names an epoch that a
    /// newer key set replaced.
    case staleEpoch(reason: String)
    /// 413: `field` is over `limit` bytes.
    case tooLarge(field: String, limit: Int)
    /// 429: retry after `retryAfterSeconds`.
    case rateLimited(retryAfterSeconds: Int)
    /// 503: a store or broker is not answering.
    case unavailable(reason: String)
    /// 503 `push_not_configured`: Web Push needs a VAPID key this server was not given.
    case pushNotConfigured
    /// 503 `audit_log_corrupt`: the stored audit log does not match its last checkpoint
    /// (found at start); the audit API and `/ready` refuse until an operator looks.
    case auditLogCorrupt(reason: String)

    /// The stable, snake_case code clients switch on.
    public var code: String {
        switch self {
        case .invalid: "invalid_request"
        case .missingVariables: "missing_variables"
        case .contentTypeMismatch: "content_type_mismatch"
        case .unauthenticated: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .staleEpoch: "stale_epoch"
        case .tooLarge: "too_large"
        case .rateLimited: "rate_limited"
        case .unavailable: "unavailable"
        case .pushNotConfigured: "push_not_configured"
        case .auditLogCorrupt: "audit_log_corrupt"
        }
    }

    /// Human text, naming the field and the reason where there is one.
    public var message: String {
        switch self {
        case .invalid(let field, let reason): "\(field): \(reason)"
        case .missingVariables(let names): "values missing for: \(names.joined(separator: ", "))"
        case .contentTypeMismatch(let declared, let actual):
            "file: declared as \(declared) but its bytes are \(actual)"
        case .unauthenticated(let reason): reason
        case .forbidden(let reason): reason
        case .notFound(let what): "\(what) not found"
        case .conflict(let reason): reason
        case .staleEpoch(let reason): reason
        case .tooLarge(let field, let limit): "\(field): larger than the limit of \(limit) bytes"
        case .rateLimited(let seconds): "too many requests; retry after \(seconds) s"
        case .unavailable(let reason): reason
        case .pushNotConfigured: "Web Push is not configured on this server (no --vapid-private-key)"
        case .auditLogCorrupt(let reason): "the audit log does not match its last signed checkpoint: \(reason)"
        }
    }
}
