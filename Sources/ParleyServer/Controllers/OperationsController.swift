import Hummingbird
import NIOCore
import ParleyCore
import ParleyRealtime

/// `/health`, `/ready`, `/metrics` and `/openapi.json`: no token needed.
struct OperationsController {
    let store: any ConversationStore
    let broker: any Broker
    let metrics: ServerMetrics
    /// How assist matches text (`ServerConfiguration.assistMode`).
    let assistMode: String
    /// The audit log, when the store keeps one: the node is ready only once its start-up
    /// check has succeeded; a corrupt log answers `503 audit_log_corrupt`, a check that
    /// could not read the database `503 unavailable` (it is tried again).
    var audit: AuditService? = nil

    func add(to router: Router<ParleyRequestContext>) {
        router.get("health") { _, _ in
            ["status": "ok"]
        }
        router.get("ready") { request, context -> Response in
            do {
                try await store.checkReady()
                try await broker.checkReady()
                if let audit, await !audit.hasLoaded {
                    do {
                        // Joins the check under way (or runs it again after a database
                        // error): not ready until it has succeeded.
                        try await audit.ensureLoaded()
                    } catch let error as ParleyError {
                        guard case .auditLogCorrupt = error else { throw error }
                        return try error.response(from: request, context: context)
                    }
                }
                return try ["status": "ready", "assist": assistMode].response(from: request, context: context)
            } catch {
                // Answered here, not thrown: the warning is the one log line a failing
                // probe leaves (ErrorMiddleware would log every probe's 503 as an error).
                context.logger.warning("not ready", metadata: ["error": "\(error)"])
                return try ParleyError.unavailable(reason: "a store, the broker or the audit log's start-up check is not answering")
                    .response(from: request, context: context)
            }
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        router.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }
}
