import ParleyCore
import ParleyMessaging

// The REST bodies of the contract as the application's commands.

extension SendMessageBody {
    /// The draft of a message given by its `content`; `fieldPrefix` names the body in errors.
    func draft(fieldPrefix: String = "") throws(ParleyError) -> MessageDraft {
        if let encrypted {
            return MessageDraft(
                content: content ?? "", type: type ?? .text, clientMessageID: clientMessageId, attachmentID: attachmentId,
                encrypted: encrypted, commitment: commitment)
        }
        if let attachmentId {
            return MessageDraft(
                content: content ?? "", type: type ?? .text, clientMessageID: clientMessageId, attachmentID: attachmentId)
        }
        guard let content else { throw .invalid(field: fieldPrefix + "content", reason: "required") }
        return MessageDraft(content: content, type: type ?? .text, clientMessageID: clientMessageId)
    }
}

extension CreateConversationBody {
    func command() throws(ParleyError) -> CreateConversation {
        CreateConversation(
            participants: participants.map { Participant(userID: $0.userId, role: $0.role) }, productID: productId,
            orderID: orderId, subject: subject, labels: labels ?? [], priority: priority ?? .medium,
            firstMessage: try message?.draft(fieldPrefix: "message."), encrypted: encrypted ?? false)
    }
}
