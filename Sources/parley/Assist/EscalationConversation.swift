import Foundation
import ParleyAssist
import ParleyCore

/// One conversation of `Evaluation/escalation/conversations.json`: its messages in order,
/// and the message (by index) at which it should escalate, with the reason, or nil for a
/// conversation that must stay with the seller.
struct EscalationConversation: Decodable {
    struct Message: Decodable {
        var role: String
        var text: String
    }

    var id: String
    var language: String
    var description: String?
    var messages: [Message]
    var escalateAt: Int?
    var reason: EscalationReason?

    /// The conversations of the file: a JSON array, or an object holding one as `conversations`.
    static func load(path: String) throws -> [EscalationConversation] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        if let list = try? JSONDecoder().decode([EscalationConversation].self, from: data) { return list }
        struct Wrapped: Decodable { var conversations: [EscalationConversation] }
        return try JSONDecoder().decode(Wrapped.self, from: data).conversations
    }

    /// The first message at which the server's rule escalates, and why: each buyer message
    /// judged by `classifier` with the buyer's previous message's sentiment.
    func firstEscalation(_ classifier: SentimentClassifier) -> (index: Int, reason: EscalationReason)? {
        var previousBuyerSentiment: Sentiment?
        for (index, message) in messages.enumerated() where message.role == "buyer" {
            let assessment = classifier.assess(message.text)
            if let reason = EscalationPolicy.reason(
                sentiment: assessment.sentiment, asksForHuman: assessment.asksForHuman, previousBuyerSentiment: previousBuyerSentiment)
            {
                return (index, reason)
            }
            previousBuyerSentiment = assessment.sentiment
        }
        return nil
    }
}
