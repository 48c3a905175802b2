/// The encrypted part of a `message.send` frame: the envelope, and the franking
/// commitment when the frame carries it beside the envelope rather than inside.
public struct EncryptedSend: Sendable, Equatable {
    public var envelope: EncryptedEnvelope
    public var commitment: String?

    public init(envelope: EncryptedEnvelope, commitment: String? = nil) {
        self.envelope = envelope
        self.commitment = commitment
    }
}
