/// A buyer's message and the reply that came right after it, for reply suggestions from
/// a user's own history.
public struct ReplyPair: Sendable, Hashable {
    public var question: Message
    public var reply: Message

    public init(question: Message, reply: Message) {
        self.question = question
        self.reply = reply
    }
}
