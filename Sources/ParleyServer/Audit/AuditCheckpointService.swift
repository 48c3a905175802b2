import Logging
import ServiceLifecycle

/// Runs the audit log's start-up check as the node starts, then signs and saves a
/// checkpoint whenever the log has grown, every `interval` (requests for a checkpoint
/// sign one at once too; this keeps the stored one recent when nobody asks).
struct AuditCheckpointService: Service {
    /// Often enough that the stored checkpoint trails the log by seconds; each round is
    /// one query when nothing changed.
    static let interval: Duration = .seconds(5)

    let audit: AuditService
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // A corrupt log stays refused (503) while the node serves the rest; this service
            // keeps running, as one that returned would stop the node.
            if await audit.corruptionReason == nil {
                do {
                    _ = try await audit.checkpoint()
                } catch {
                    if await audit.corruptionReason == nil {
                        logger.warning("could not sign an audit checkpoint", metadata: ["error": "\(error)"])
                    }
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
        }
    }
}
