import Logging
import ParleyAssist
import ParleyCore

/// The assist features: templates, FAQ entries and matching, automatic answers, the
/// buyer's verdicts, and reply suggestions.
///
/// Like `MessagingService`, it takes domain commands from the controllers, checks rights
/// (`AssistPolicy`), and keeps the truth in the store. Posting goes through
/// `MessagingService`, so an automatic answer or a message sent by template is stored and
/// announced like any other.
public struct AssistService: Sendable {
    let store: any ConversationStore & AssistStore
    let messaging: MessagingService
    let matcher: FAQMatcher
    let classifier: SentimentClassifier
    /// The encoder time sentiment may take, shared with the review of stored messages.
    let encoderBudget: EncoderBudget
    let autoAnswers: AutoAnswerQueue
    let clock: any WallClock
    let rateLimiter: RateLimiter
    let logger: Logger

    public init(
        store: any ConversationStore & AssistStore, messaging: MessagingService, matcher: FAQMatcher,
        classifier: SentimentClassifier, encoderBudget: EncoderBudget, autoAnswers: AutoAnswerQueue, clock: any WallClock,
        rateLimiter: RateLimiter, logger: Logger
    ) {
        self.classifier = classifier
        self.encoderBudget = encoderBudget
        self.store = store
        self.messaging = messaging
        self.matcher = matcher
        self.autoAnswers = autoAnswers
        self.clock = clock
        self.rateLimiter = rateLimiter
        self.logger = logger
    }

    /// How `text` reads (`POST /api/assist/sentiment`), for any caller: the classifier's
    /// reading, as stored messages get it, within the encoder's budget (past it, the
    /// lexicon's). Text is sized like message content (413 over 16 KiB).
    public func sentiment(of text: String?, by principal: Principal) throws(ParleyError) -> SentimentAssessment {
        try rateLimiter.take(principal.userID)
        guard let text else { throw .invalid(field: "text", reason: "required") }
        try Validation.content(text, field: "text")
        guard classifier.usesHead, encoderBudget.mayUse() else { return classifier.assess(text, encoder: false) }
        return encoderBudget.spend { classifier.assess(text) }
    }

    /// The vectors of `texts` (cached by the embedder the server gives the matcher, a
    /// `CachingEmbedder`); empty without an encoder.
    func vectors(for texts: [String]) -> [[Float]] {
        guard let embedder = matcher.embedder else { return [] }
        return texts.map(embedder.embed)
    }

    // MARK: Settings

    public func settings(sellerID: String?, by principal: Principal) async throws -> (sellerID: String, settings: AssistSettings) {
        let seller = try AssistPolicy.settingsOwner(sellerID, for: principal)
        return (seller, try await store.assistSettings(sellerID: seller))
    }

    public func saveSettings(_ settings: AssistSettings, sellerID: String?, by principal: Principal) async throws -> String {
        try rateLimiter.take(principal.userID)
        let seller = try AssistPolicy.settingsOwner(sellerID, for: principal)
        try await store.saveAssistSettings(settings, sellerID: seller)
        autoAnswers.noteChange(seller)
        logger.info("assist settings saved", metadata: ["seller": "\(seller)", "autoAnswer": "\(settings.autoAnswer)"])
        return seller
    }

    // MARK: Helpers

    static func language(_ value: String?, field: String) throws(ParleyError) -> String? {
        guard let value else { return nil }
        guard AssistLanguage(rawValue: value) != nil else {
            throw .invalid(field: field, reason: "must be one of \(AssistLanguage.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// The seller a conversation's buyers write to: its first seller participant.
    static func seller(of conversation: Conversation) -> String? {
        conversation.participants.first { $0.role == .seller }?.userID
    }
}
