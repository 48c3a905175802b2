import Logging
import ServiceLifecycle

/// Removes uploads never sent, once their 24 hours are over: every ``interval``, in
/// batches, on every node (the store hands each upload to one of them).
public struct AttachmentJanitor: Service {
    /// Often enough that an unsent upload outlives its 24 h by minutes, not hours.
    public static let defaultInterval: Duration = .seconds(600)
    /// A temporary upload file untouched this long belongs to no upload in progress
    /// (they write at least every 30 s or are closed): a crash left it.
    static let abandonedUploadAge: Duration = .seconds(3600)
    /// Uploads removed in one write: the writer is shared with sends.
    public static let batch = 500
    /// Batches in one round at most, so a backlog drains over several rounds.
    static let maxBatchesPerRound = 100

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
                    let abandoned = attachments.spool.removeAbandoned(olderThan: Self.abandonedUploadAge)
                    if abandoned > 0 { logger.notice("removed the temporary files of interrupted uploads", metadata: ["files": "\(abandoned)"]) }
                    // Batches until one comes back short of full.
                    for _ in 0..<Self.maxBatchesPerRound {
                        if try await attachments.removeExpiredUploads() < Self.batch { break }
                    }
                } catch {
                    logger.error("removing unsent uploads failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
