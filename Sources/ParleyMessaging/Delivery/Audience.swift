import ParleyCore
import ParleyRealtime

/// Who hears of what happens in a conversation: its participants and its assignee, and
/// for a new message also its sender (on every connection, so other devices of the
/// sender see it too).
enum Audience {
    /// Participants and the assignee.
    static func of(_ conversation: Conversation) -> [String] {
        var users = conversation.participants.map(\.userID)
        if let assignee = conversation.assignedTo, !users.contains(where: { $0.isSameID(as: assignee) }) {
            users.append(assignee)
        }
        return users
    }

    /// `message.new` for the audience and the sender, with the message's position, and
    /// what each may see of it.
    static func delivery(of message: Message, at position: Int64, in conversation: Conversation) -> Delivery {
        var recipients = of(conversation)
        if !recipients.contains(where: { $0.isSameID(as: message.senderID) }) { recipients.append(message.senderID) }
        var disclosures: [String: MessageDisclosure]?
        if message.hasRestrictedAnnotations {
            disclosures = [:]
            for userID in recipients {
                disclosures?[userID] = MessageDisclosure.disclosure(of: message, to: userID, role: nil, in: conversation)
            }
        }
        return Delivery(
            recipients: recipients, event: .messageNew(message: message, cursor: ResumeCursor(position: position)),
            disclosures: disclosures)
    }
}
