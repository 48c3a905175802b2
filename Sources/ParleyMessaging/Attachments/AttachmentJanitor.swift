import Logging
import ServiceLifecycle

/// Removes uploads never sent, once their 24 hours are over: every ``interval``, in
/// batches, on every node (the store hands each upload to one of them).
public struct AttachmentJanitor: Service {
    /// Often enough that an unsent upload outlives its 24 h by minutes, not hours.
    public static let defaultInterval: Duration = .seconds(600)

    let attachments: AttachmentService
    let logger: Logger
    let interval: Duration

    public init(attachments: AttachmentService, logger: Logger, interval: Duration = Self.defaultInterval) {
        self.attachments = attachments
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    // Batches until one deletes nothing (bounded: at most 100 in a row).
                    for _ in 0..<100 where try await attachments.removeExpiredUploads() > 0 {}
                } catch {
                    logger.error("removing unsent uploads failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
