import ParleyCore

/// A message someone wants to post, before it is checked and stored: the body of REST
/// `POST …/messages`, of a WebSocket `message.send`, or a new conversation's first message.
public struct MessageDraft: Sendable, Equatable {
    public var content: String
    public var type: MessageType
    /// The client's own id for the message: a retry with the same id returns the first
    /// message instead of storing a second.
    public var clientMessageID: String?
    /// The template it was rendered from (send by template).
    public var annotations: MessageAnnotations

    public init(
        content: String, type: MessageType = .text, clientMessageID: String? = nil, annotations: MessageAnnotations = .none
    ) {
        self.annotations = annotations
        self.content = content
        self.type = type
        self.clientMessageID = clientMessageID
    }

    /// Checks sizes and ids; `fieldPrefix` names the draft in errors (`message.` for a
    /// conversation's first message, empty for a send).
    func validate(fieldPrefix: String = "") throws(ParleyError) {
        try Validation.content(content, field: fieldPrefix + "content")
        if let clientMessageID { try Validation.externalID(clientMessageID, field: fieldPrefix + "clientMessageId") }
    }
}
