import Hummingbird
import ParleyAudit
import ParleyCore

/// `/api/audit/*`: the signed checkpoint and its key (any caller with a token), the
/// leaves (`support` and `service`), and RFC 9162 proofs. While the start-up check finds
/// the log corrupt, every one answers `503 audit_log_corrupt`, before looking at the
/// caller or the query (a refusal for role or range would hide that the log is refused).
struct AuditController {
    let audit: AuditService

    /// `GET /api/audit/entries` page sizes.
    static let defaultEntriesLimit = 100
    static let maxEntriesLimit = 1_000

    var endpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.get("checkpoint", use: checkpoint)
        routes.get("key", use: key)
        routes.get("entries", use: entries)
        routes.get("proof/inclusion", use: inclusionProof)
        routes.get("proof/consistency", use: consistencyProof)
        return routes
    }

    @Sendable func checkpoint(_ request: Request, context: ParleyRequestContext) async throws -> AuditCheckpointJSON {
        try await audit.ensureLoaded()
        _ = try context.requirePrincipal()
        return try await audit.checkpoint().json
    }

    @Sendable func key(_ request: Request, context: ParleyRequestContext) async throws -> AuditKeyJSON {
        try await audit.ensureLoaded()
        _ = try context.requirePrincipal()
        return AuditKeyJSON(audit.publicKey)
    }

    @Sendable func entries(_ request: Request, context: ParleyRequestContext) async throws -> AuditEntriesBody {
        try await audit.ensureLoaded()
        let principal = try context.requirePrincipal()
        guard principal.role.seesEverything else {
            throw ParleyError.forbidden(reason: "only support and service may read the audit log's entries")
        }
        let parameters = QueryParameters(request: request)
        let conversationID = try parameters.id("conversationId")
        let from = try parameters.integer("from") ?? 0
        guard from >= 0 else { throw ParleyError.invalid(field: "from", reason: "must be 0 or more") }
        let limit = try parameters.pageLimit(default: Self.defaultEntriesLimit, maximum: Self.maxEntriesLimit)
        let leaves = try await audit.entries(from: from, limit: limit, conversationID: conversationID)
        return AuditEntriesBody(entries: leaves.map { .init(index: $0.index, leaf: $0.text) })
    }

    @Sendable func inclusionProof(_ request: Request, context: ParleyRequestContext) async throws -> AuditProofBody {
        try await audit.ensureLoaded()
        _ = try context.requirePrincipal()
        let parameters = QueryParameters(request: request)
        let index = try Self.required(parameters, "index")
        let treeSize = try Self.required(parameters, "treeSize")
        return AuditProofBody(try await audit.inclusionProof(index: index, treeSize: treeSize))
    }

    @Sendable func consistencyProof(_ request: Request, context: ParleyRequestContext) async throws -> AuditProofBody {
        try await audit.ensureLoaded()
        _ = try context.requirePrincipal()
        let parameters = QueryParameters(request: request)
        let from = try Self.required(parameters, "from")
        let to = try Self.required(parameters, "to")
        return AuditProofBody(try await audit.consistencyProof(from: from, to: to))
    }

    static func required(_ parameters: QueryParameters, _ name: String) throws(ParleyError) -> Int64 {
        guard let value = try parameters.integer(name) else { throw .invalid(field: name, reason: "required") }
        return value
    }
}

extension AuditCheckpointJSON: ResponseEncodable {}
extension AuditKeyJSON: ResponseEncodable {}
