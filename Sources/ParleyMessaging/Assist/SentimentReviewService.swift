import ServiceLifecycle

/// Runs the sentiment review and escalation (`SentimentReview`) beside the server, and
/// stops it with it.
public struct SentimentReviewService: Service {
    let messaging: MessagingService
    let review: SentimentReview

    public init(messaging: MessagingService, review: SentimentReview) {
        self.messaging = messaging
        self.review = review
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await messaging.runSentimentReview()
        } onGracefulShutdown: {
            review.finish()
        }
    }
}
