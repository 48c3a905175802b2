/// Post a message in a conversation (REST `POST /api/conversations/{id}/messages`,
/// WebSocket `message.send`).
public struct SendMessage: Sendable, Equatable {
    public var conversationID: String
    public var draft: MessageDraft

    public init(conversationID: String, draft: MessageDraft) {
        self.conversationID = conversationID
        self.draft = draft
    }
}
