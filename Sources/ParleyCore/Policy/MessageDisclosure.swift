/// How much of a message's restricted annotations a viewer gets: the contract shows
/// `sentiment` to support, service and the seller participants, never to its author,
/// and `originalContent` (the text before contact masking) to support and service only.
///
/// Every path that hands a message to someone (REST pages, the send response, search,
/// `message.new` live and on resume) asks ``disclosure(of:to:role:in:)`` and applies
/// ``Message/disclosed(_:)``; inbox previews (`lastMessage`) carry neither.
public enum MessageDisclosure: String, Sendable, Hashable, Codable, CaseIterable {
    /// Neither sentiment nor original content.
    case content
    /// Sentiment, not the original content.
    case sentiment
    /// Sentiment and the original content.
    case original

    /// What `viewerID` may see of `message` in `conversation`.
    ///
    /// - Parameter role: the viewer's token role when known (REST, search, resume); nil for
    ///   a live delivery, where the conversation's roles decide (its assignee and support
    ///   participants count as support).
    public static func disclosure(
        of message: Message, to viewerID: String, role: Role?, in conversation: Conversation
    ) -> MessageDisclosure {
        if viewerID.isSameID(as: message.senderID) { return .content }
        if role?.seesEverything == true { return .original }
        if let assignee = conversation.assignedTo, assignee.isSameID(as: viewerID) { return .original }
        switch conversation.role(of: viewerID) {
        case .support: return .original
        case .seller: return .sentiment
        case .buyer, nil: return .content
        }
    }
}

extension Message {
    /// Whether anything in it depends on who looks (see ``MessageDisclosure``).
    public var hasRestrictedAnnotations: Bool {
        annotations.sentiment != nil || annotations.originalContent != nil
    }

    /// The message as a viewer with `disclosure` sees it.
    public func disclosed(_ disclosure: MessageDisclosure) -> Message {
        guard hasRestrictedAnnotations else { return self }
        var message = self
        switch disclosure {
        case .content:
            message.annotations.sentiment = nil
            message.annotations.originalContent = nil
        case .sentiment:
            message.annotations.originalContent = nil
        case .original:
            break
        }
        return message
    }
}
