import ParleyCore
import ParleyMessaging

// The REST bodies of the contract as the application's commands.

extension SendMessageBody {
    var draft: MessageDraft {
        MessageDraft(content: content, type: type ?? .text, clientMessageID: clientMessageId)
    }
}

extension CreateConversationBody {
    var command: CreateConversation {
        CreateConversation(
            participants: participants.map { Participant(userID: $0.userId, role: $0.role) }, productID: productId,
            orderID: orderId, subject: subject, labels: labels ?? [], priority: priority ?? .medium,
            firstMessage: message?.draft)
    }
}
