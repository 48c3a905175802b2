import Crypto
import Foundation
import ParleyCore

/// Signs franking receipts and checks reports against them (message franking): on
/// receipt of an encrypted message with a commitment, the server signs with the audit
/// key (Ed25519) the UTF-8 of
/// `<conversationId>|<messageId>|<senderId>|<timestamp>|<commitment>` (the timestamp as
/// the Message JSON writes it, the commitment as the base64url text sent). A reporter
/// later reveals the content and the franking key: the HMAC opens the commitment, the
/// receipt proves the server saw that commitment from that sender at that time.
public struct FrankingSigner: Sendable {
    let key: Curve25519.Signing.PrivateKey

    /// - Parameter key: the audit key (`GET /api/audit/key` publishes its public half).
    public init(key: Curve25519.Signing.PrivateKey) {
        self.key = key
    }

    /// A signer with a fresh key, for tests and tools: its receipts stop verifying once
    /// the process ends.
    public static func ephemeral() -> FrankingSigner {
        FrankingSigner(key: Curve25519.Signing.PrivateKey())
    }

    /// The 32-byte Ed25519 public key receipts verify with.
    public var publicKey: [UInt8] { [UInt8](key.publicKey.rawRepresentation) }

    /// The text a receipt signs.
    public static func signedText(
        conversationID: String, messageID: String, senderID: String, timestamp: Timestamp, commitment: String
    ) -> String {
        "\(conversationID)|\(messageID)|\(senderID)|\(timestamp.rfc3339)|\(commitment)"
    }

    /// The receipt (unpadded base64url of the 64-byte signature).
    func receipt(conversationID: String, messageID: String, senderID: String, timestamp: Timestamp, commitment: String) throws
        -> String
    {
        let text = Self.signedText(
            conversationID: conversationID, messageID: messageID, senderID: senderID, timestamp: timestamp, commitment: commitment)
        return Base64URL.encode([UInt8](try key.signature(for: Data(text.utf8))))
    }

    /// Whether `message`'s stored receipt is this key's signature over its commitment.
    func receiptVerifies(for message: Message) -> Bool {
        guard let commitment = message.annotations.commitment, let receipt = message.annotations.receipt,
            let signature = Base64URL.decode(receipt)
        else { return false }
        let text = Self.signedText(
            conversationID: message.conversationID, messageID: message.messageID, senderID: message.senderID,
            timestamp: message.timestamp, commitment: commitment)
        return key.publicKey.isValidSignature(Data(signature), for: Data(text.utf8))
    }

    /// Whether HMAC-SHA256 keyed with `franking` over the UTF-8 of `content` is `commitment`.
    static func opens(commitment: String, franking: [UInt8], content: String) -> Bool {
        guard let expected = Base64URL.decode(commitment), expected.count == SHA256.byteCount else { return false }
        // swift-crypto compares in constant time.
        return HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: Data(content.utf8), using: SymmetricKey(data: franking))
    }
}
