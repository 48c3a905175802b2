/// What the assist features record about a message besides its text: which template it
/// was sent from; for an automatic answer, which FAQ entry answered and how sure the
/// matcher was; how it reads (sentiment); and which contact details were masked in it,
/// with the text as written. Stored with the message (one JSON column, empty for most
/// messages). `sentiment` and `originalContent` are not for every viewer: see
/// ``MessageDisclosure``.
public struct MessageAnnotations: Sendable, Hashable, Codable {
    public var templateID: String?
    public var auto: AutoAnswerMark?
    public var sentiment: Sentiment?
    /// The kinds of contact details replaced by `[…]` in the content; nil when none was.
    public var masked: [MaskedContact]?
    /// The content as its author wrote it, when contacts were masked.
    public var originalContent: String?
    /// The upload an `image` or `file` message carries.
    public var attachment: MessageAttachment?
    /// The ciphertext of an end-to-end encrypted message, as its device sent it (the
    /// message's `content` is then empty).
    public var encrypted: EncryptedEnvelope?
    /// The franking commitment (unpadded base64url, as sent) and the server's Ed25519
    /// receipt over it (signed on receipt), when the sender made the message reportable.
    public var commitment: String?
    public var receipt: String?

    public init(
        templateID: String? = nil, auto: AutoAnswerMark? = nil, sentiment: Sentiment? = nil,
        masked: [MaskedContact]? = nil, originalContent: String? = nil, attachment: MessageAttachment? = nil,
        encrypted: EncryptedEnvelope? = nil, commitment: String? = nil, receipt: String? = nil
    ) {
        self.encrypted = encrypted
        self.commitment = commitment
        self.receipt = receipt
        self.attachment = attachment
        self.templateID = templateID
        self.auto = auto
        self.sentiment = sentiment
        self.masked = masked
        self.originalContent = originalContent
    }

    public static let none = MessageAnnotations()

    public var isEmpty: Bool {
        templateID == nil && auto == nil && sentiment == nil && masked == nil && originalContent == nil && attachment == nil
            && encrypted == nil && commitment == nil && receipt == nil
    }

    private enum CodingKeys: String, CodingKey {
        case templateID = "templateId"
        case auto, sentiment, masked, originalContent, attachment, encrypted, commitment, receipt
    }
}

/// The mark of a message that `parley.assistant` posted by itself (`auto` on the wire).
public struct AutoAnswerMark: Sendable, Hashable, Codable {
    public var faqID: String
    /// The matcher's score in [0, 1].
    public var score: Double

    public init(faqID: String, score: Double) {
        self.faqID = faqID
        self.score = score
    }

    private enum CodingKeys: String, CodingKey {
        case faqID = "faqId"
        case score
    }
}
