import ParleyAssist
import ParleyCore
import ParleyRealtime

/// The second reading of each buyer and seller message, and escalation (see `SentimentReview`).
extension MessagingService {
    /// Buyer messages looked back over for the previous buyer message's sentiment: the
    /// row of two negatives counts across the seller's and the assistant's replies.
    static let escalationLookBack = 20

    /// Reviews messages until the review finishes. Run once per node.
    public func runSentimentReview() async {
        guard let sentimentReview else { return }
        for await item in sentimentReview.items {
            await review(item, with: sentimentReview)
        }
    }

    /// Rereads one message, keeps the second reading's sentiment when it differs from the
    /// one stored at send (the lexicon's rules), and escalates its conversation when the
    /// buyer's message calls for a person. Failures are logged: the message is stored whatever happens here.
    func review(_ item: SentimentReview.Item, with review: SentimentReview) async {
        let message = item.message
        let conversationID = item.conversation.conversationID
        let reading = review.read(item)
        do {
            if let stored = message.annotations.sentiment, SentimentReview.differs(stored, reading.sentiment) {
                try await store.updateSentiment(reading.sentiment, ofMessage: message.messageID, in: conversationID)
            }
            guard item.fromBuyer, item.conversation.escalation == nil else { return }
            var previous: Sentiment?
            if reading.sentiment.label == .negative {
                previous = try await previousBuyerSentiment(before: message, in: item.conversation)
            }
            if let reason = EscalationPolicy.reason(
                sentiment: reading.sentiment, asksForHuman: reading.asksForHuman, previousBuyerSentiment: previous)
            {
                try await escalate(conversationID, reason: reason, messageID: message.messageID)
            }
        } catch {
            logger.error(
                "sentiment review failed",
                metadata: ["conversation": "\(conversationID)", "message": "\(message.messageID)", "error": "\(error)"])
        }
    }

    /// The sentiment of the buyer's last message before `message`, if it is among the
    /// conversation's `escalationLookBack` messages before it.
    private func previousBuyerSentiment(before message: Message, in conversation: Conversation) async throws -> Sentiment? {
        let buyers = Set(conversation.participants.filter { $0.role == .buyer }.map { OpaqueID($0.userID) })
        let page = try await store.messages(
            conversationID: conversation.conversationID,
            page: MessagePageRequest(anchor: .before(message.seq), limit: Self.escalationLookBack))
        return page.messages.last(where: { buyers.contains(OpaqueID($0.senderID)) })?.annotations.sentiment
    }
}
