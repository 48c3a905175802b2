import ParleyAssist
import ParleyCore
import Synchronization

/// Buyer and seller messages waiting for their second reading, after the commit and off
/// the send path: the sentiment classifier (the lexicon with its word head, and the head on
/// the sentence encoder when its weights are loaded), which replaces the send path's
/// reading (the lexicon's rules) when it differs, and the escalation rule
/// (`EscalationPolicy`) on buyer messages.
///
/// The encoder costs milliseconds a message, so under load the review must neither fall
/// behind without bound nor take a core from the senders: it spends at most the
/// `EncoderBudget`'s share of one core on the encoder, and past `encoderBacklog` waiting
/// messages it reads with the lexicon alone (rules and word head, microseconds) until it
/// has caught up; past `capacity` new messages are not reviewed (the rules' reading stays). Every message offered within capacity gets its
/// escalation decision. A chat's pace (tens of messages a second) stays well inside the
/// budget (a tenth of a core is about 40 messages a second with the encoder): every
/// message is read by the classifier.
///
/// Concurrency: `offer` is synchronous because it runs in the store's `afterCommit`, in
/// commit order; one task (`MessagingService.runSentimentReview`) takes the items in that order.
public final class SentimentReview: Sendable {
    /// Messages waiting at most.
    public static let capacity = 10_000
    /// Past this many waiting messages, the encoder is skipped: at a few milliseconds a
    /// message this is a fraction of a second behind.
    public static let encoderBacklog = 64
    /// Seller messages are admitted only while fewer than this many wait: they get a second
    /// reading, but never an escalation, so under load the queue stays for buyers'.
    public static let sellerCapacity = capacity / 2
    /// A stored sentiment is replaced when the label changes or the score moves this much:
    /// smaller moves are not worth a write.
    static let rewriteThreshold = 0.05

    public struct Item: Sendable {
        public var message: Message
        public var conversation: Conversation
        /// From a buyer participant: its escalation is decided here.
        public var fromBuyer: Bool
    }

    /// What the review makes of a message.
    struct Reading {
        var sentiment: Sentiment
        var asksForHuman: Bool
    }

    let classifier: SentimentClassifier
    let budget: EncoderBudget
    private let waiting = Mutex(0)
    private let continuation: AsyncStream<Item>.Continuation
    let items: AsyncStream<Item>
    private static let humanRequests = HumanRequestDetector()

    public init(classifier: SentimentClassifier, budget: EncoderBudget) {
        self.classifier = classifier
        self.budget = budget
        (items, continuation) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .unbounded)
    }

    /// Queues a committed message that has a sentiment (a buyer's or seller's text) for its
    /// second reading; a buyer's may escalate. Returns false when it was not queued.
    @discardableResult
    func offer(_ result: AppendMessageResult) -> Bool {
        guard result.message.annotations.sentiment != nil else { return false }
        let fromBuyer = result.conversation.role(of: result.message.senderID) == .buyer
        let admitted = waiting.withLock { waiting -> Bool in
            guard waiting < (fromBuyer ? Self.capacity : Self.sellerCapacity) else { return false }
            waiting += 1
            return true
        }
        guard admitted else { return false }
        let item = Item(message: result.message, conversation: result.conversation, fromBuyer: fromBuyer)
        if case .terminated = continuation.yield(item) {
            waiting.withLock { $0 -= 1 }
            return false
        }
        return true
    }

    /// The item's reading: the classifier's with the encoder when it has its head, the
    /// review is not behind and the budget allows; else the lexicon's, from the rules'
    /// reading the send stored (the rules are not run twice; the word head alone costs
    /// microseconds). Only a buyer's message is checked for a request for a person.
    func read(_ item: Item) -> Reading {
        let behind = waiting.withLock { waiting in
            waiting -= 1
            return waiting >= Self.encoderBacklog
        }
        let text = item.message.annotations.originalContent ?? item.message.content
        if classifier.usesHead && !behind && budget.mayUse() {
            let assessment = budget.spend { classifier.assess(text) }
            return Reading(sentiment: assessment.sentiment, asksForHuman: item.fromBuyer && assessment.asksForHuman)
        }
        let stored = item.message.annotations.sentiment ?? Sentiment(label: .neutral, score: 0)
        let reading = classifier.lexicon.reread(text, rules: stored, checkingForHuman: item.fromBuyer)
        return Reading(sentiment: reading.sentiment, asksForHuman: reading.asksForHuman)
    }

    /// Whether the second reading is different enough from the stored one to rewrite it.
    static func differs(_ stored: Sentiment, _ reviewed: Sentiment) -> Bool {
        stored.label != reviewed.label || abs(stored.score - reviewed.score) >= rewriteThreshold
    }

    /// Whether `message` by itself hands its conversation to a person: it asks for one, or
    /// its sentiment as stored at send (the lexicon's rules) is strongly negative. For the
    /// assistant, which must not answer such a message while its escalation is being decided.
    public static func handsOver(_ message: Message) -> Bool {
        let sentiment = message.annotations.sentiment ?? Sentiment(label: .neutral, score: 0)
        let text = message.annotations.originalContent ?? message.content
        return EscalationPolicy.reason(
            sentiment: sentiment, asksForHuman: humanRequests.asksForHuman(text), previousBuyerSentiment: nil) != nil
    }

    public func finish() { continuation.finish() }
}
