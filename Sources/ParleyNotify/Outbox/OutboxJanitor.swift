import Logging
import ParleyCore
import ServiceLifecycle

/// Keeps the webhook delivery log to its last week (`NotifyLimits.deliveryLogRetention`),
/// looking once an hour.
public struct OutboxJanitor: Service {
    static let interval: Duration = .seconds(3_600)

    let store: any NotificationStore
    let clock: any WallClock
    let logger: Logger

    public init(store: any NotificationStore, clock: any WallClock, logger: Logger) {
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let removed = try await store.pruneDeliveries(before: clock.now().adding(.zero - NotifyLimits.deliveryLogRetention))
                if removed > 0 { logger.info("webhook delivery log pruned", metadata: ["removed": "\(removed)"]) }
            } catch {
                logger.warning("could not prune the webhook delivery log", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
        }
    }
}
