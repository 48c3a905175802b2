/// What the messaging service read in a message's text before storing it: its sentiment
/// and, if it holds contact details, the text with them masked. Whether they apply
/// depends on the conversation (the sender's role in it, its `orderId`), which the store
/// reads inside the write; ``NewMessage/screened(in:)`` decides there, once for both stores.
public struct MessageScreening: Sendable, Hashable {
    public var sentiment: Sentiment?
    /// The text with its contact details replaced by `[…]`; nil when it holds none.
    public var masked: MaskingResult?
    public var maskingMode: ContactMaskingMode

    public init(sentiment: Sentiment?, masked: MaskingResult?, maskingMode: ContactMaskingMode) {
        self.sentiment = sentiment
        self.masked = masked
        self.maskingMode = maskingMode
    }
}

extension NewMessage {
    /// The message to store in `conversation`: with its screening applied when its sender
    /// is a buyer or seller participant (sentiment always, masking as the mode says for
    /// the conversation's `orderId`), as sent otherwise.
    public func screened(in conversation: Conversation) -> NewMessage {
        guard let screening else { return self }
        var message = self
        message.screening = nil
        // The same senders whose message reopens a closed conversation.
        guard Policy.reopensClosed(senderID: senderID, conversation) else { return message }
        message.annotations.sentiment = screening.sentiment
        if let masked = screening.masked, screening.maskingMode.applies(orderID: conversation.orderID) {
            message.annotations.originalContent = content
            message.annotations.masked = masked.kinds
            message.content = masked.text
        }
        return message
    }
}
