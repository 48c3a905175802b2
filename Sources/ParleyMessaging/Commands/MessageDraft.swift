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
    /// The upload an `image` or `file` message carries (its `content` is then an optional
    /// caption).
    public var attachmentID: String?
    /// An end-to-end encrypted message's ciphertext (its `content` is then empty), and the
    /// franking commitment sent beside it or inside it.
    public var encrypted: EncryptedEnvelope?
    public var commitment: String?

    public init(
        content: String, type: MessageType = .text, clientMessageID: String? = nil, annotations: MessageAnnotations = .none,
        attachmentID: String? = nil, encrypted: EncryptedEnvelope? = nil, commitment: String? = nil
    ) {
        self.encrypted = encrypted
        self.commitment = commitment
        self.attachmentID = attachmentID
        self.annotations = annotations
        self.content = content
        self.type = type
        self.clientMessageID = clientMessageID
    }

    /// Checks sizes and ids; `fieldPrefix` names the draft in errors (`message.` for a
    /// conversation's first message, empty for a send).
    func validate(fieldPrefix: String = "") throws(ParleyError) {
        if let encrypted {
            try EncryptedDraftCheck.validate(self, envelope: encrypted, fieldPrefix: fieldPrefix)
            return
        }
        if commitment != nil {
            throw .invalid(field: fieldPrefix + "commitment", reason: "only an encrypted message carries a commitment")
        }
        if let attachmentID {
            guard type == .image || type == .file else {
                throw .invalid(field: fieldPrefix + "attachmentId", reason: "only image and file messages carry an attachment")
            }
            try Validation.externalID(attachmentID, field: fieldPrefix + "attachmentId")
            // A caption: may be empty, never over the content limit.
            try Validation.caption(content, field: fieldPrefix + "content")
        } else {
            // The contract: image and file messages carry one attachment.
            if type == .image || type == .file {
                throw .invalid(
                    field: fieldPrefix + "attachmentId",
                    reason: "required: an \(type.rawValue) message carries an upload (POST /api/conversations/{id}/attachments)")
            }
            try Validation.content(content, field: fieldPrefix + "content")
        }
        if let clientMessageID { try Validation.externalID(clientMessageID, field: fieldPrefix + "clientMessageId") }
    }
}
