import ParleyCore

/// What `CreateConversation` did: the conversation as the caller sees it, whether it is
/// new, and whether a first message was stored (a retry of the same first message
/// stores nothing).
public struct CreatedConversation: Sendable {
    public var view: ConversationView
    public var created: Bool
    public var storedFirstMessage: Bool
}
