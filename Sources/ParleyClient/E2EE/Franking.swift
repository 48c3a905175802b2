import Crypto
import Foundation
import ParleyCore

/// Message franking: the sender puts a random key inside the ciphertext and a commitment
/// to the content beside it (HMAC-SHA256 keyed with that key, over the UTF-8 content). The
/// server signs the commitment on receipt without reading anything; a recipient who
/// reports the message reveals the content and the key, and the server checks both
/// against the commitment and its own receipt.
public enum Franking {
    /// A fresh 32-byte franking key.
    public static func newKey() -> Data {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    }

    /// The commitment to `content` under `key`, unpadded base64url.
    public static func commitment(key: Data, content: String) -> String {
        E2EEBytes.encode(Data(HMAC<SHA256>.authenticationCode(for: Data(content.utf8), using: SymmetricKey(data: key))))
    }

    /// Whether `commitment` is the one `key` makes for `content` (compared in constant time).
    public static func opens(_ commitment: String, key: Data, content: String) -> Bool {
        guard let code = try? E2EEBytes.decode(commitment, field: "commitment", length: SHA256.byteCount) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Data(content.utf8), using: SymmetricKey(data: key))
    }

    /// Whether `message`'s receipt is the server's Ed25519 signature (by the audit key,
    /// `auditPublicKey`, 32 bytes) over the UTF-8 of
    /// `<conversationId>|<messageId>|<senderId>|<timestamp>|<commitment>`: the proof a
    /// report rests on, checked by the recipient before it relies on it.
    public static func receiptVerifies(_ message: Message, auditPublicKey: Data) -> Bool {
        guard let commitment = message.annotations.commitment ?? message.annotations.encrypted?.commitment,
            let receipt = message.annotations.receipt,
            let signature = try? E2EEBytes.decode(receipt, field: "receipt", length: 64),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: auditPublicKey)
        else { return false }
        let text = "\(message.conversationID)|\(message.messageID)|\(message.senderID)|\(message.timestamp.rfc3339)|\(commitment)"
        return key.isValidSignature(signature, for: Data(text.utf8))
    }
}
