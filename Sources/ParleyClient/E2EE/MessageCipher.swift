import Crypto
import Foundation
import ParleyCore

/// Encrypts and signs one message with its conversation's epoch key, and verifies and
/// decrypts one.
///
/// - AES-256-GCM with the 32-byte epoch key and a random 12-byte nonce (`iv`), over the
///   UTF-8 JSON `{"content": "…"}` (see `MessagePlaintext`); the 16-byte tag is appended
///   to the ciphertext, as WebCrypto returns it.
/// - Additional data: UTF-8 of `<conversationId>|<epoch>|<senderId>|<deviceId>|<clientMessageId>`,
///   so a ciphertext cannot be replayed under another sender, device, epoch or message.
/// - Signature: ECDSA P-256/SHA-256 by the sending device's signing key over the additional
///   data followed by the ciphertext, r ‖ s: members of a conversation share the epoch
///   key, so only the signature says which device wrote a message.
public enum MessageCipher {
    /// The additional data that binds a ciphertext to its place (the contract's text, as
    /// `EncryptedEnvelope.additionalData` writes it for the server's signature check).
    public static func additionalData(
        conversationID: String, epoch: Int64, senderID: String, deviceID: String, clientMessageID: String
    ) -> Data {
        Data(
            EncryptedEnvelope.additionalData(
                conversationID: conversationID, epoch: epoch, senderID: senderID, deviceID: deviceID, clientMessageID: clientMessageID))
    }

    /// `plaintext` encrypted and signed by `identity` for `epoch` of `conversationID`; with
    /// the franking commitment when `plaintext` carries a franking key.
    public static func encrypt(
        _ plaintext: MessagePlaintext, epochKey: SymmetricKey, conversationID: String, epoch: Int64, senderID: String,
        clientMessageID: String, identity: DeviceIdentity
    ) throws -> EncryptedEnvelope {
        let additional = additionalData(
            conversationID: conversationID, epoch: epoch, senderID: senderID, deviceID: identity.deviceID, clientMessageID: clientMessageID)
        let nonce = AES.GCM.Nonce()
        let sealed = try AES.GCM.seal(try plaintext.encoded(), using: epochKey, nonce: nonce, authenticating: additional)
        let ciphertext = sealed.ciphertext + sealed.tag
        return EncryptedEnvelope(
            epoch: epoch, deviceID: identity.deviceID, iv: E2EEBytes.encode(nonce.withUnsafeBytes { Data($0) }), ciphertext: E2EEBytes.encode(ciphertext),
            signature: E2EEBytes.encode(try identity.sign(additional + ciphertext)),
            commitment: plaintext.franking.map { Franking.commitment(key: $0, content: plaintext.content) })
    }

    /// Checks the sender device's signature first (a bad one is refused before anything is
    /// decrypted), then decrypts. When the message carries a commitment (`commitment`, by
    /// default the envelope's), the franking key inside must open it: otherwise a report
    /// of this message could not be proven, and the sender may have committed to other
    /// words than those shown.
    public static func decrypt(
        _ envelope: EncryptedEnvelope, epochKey: SymmetricKey, conversationID: String, senderID: String, clientMessageID: String,
        senderSigningKey: P256.Signing.PublicKey, messageID: String? = nil, commitment: String? = nil
    ) throws -> MessagePlaintext {
        let iv = try E2EEBytes.decode(envelope.iv, field: "encrypted.iv", length: E2EEBytes.ivLength)
        let ciphertext = try E2EEBytes.decode(envelope.ciphertext, field: "encrypted.ciphertext")
        let signature = try E2EEBytes.decode(envelope.signature, field: "encrypted.signature", length: E2EEBytes.signatureLength)
        guard ciphertext.count >= E2EEBytes.tagLength else {
            throw E2EEError.malformedField(name: "encrypted.ciphertext", reason: "shorter than the 16-byte tag")
        }
        let additional = additionalData(
            conversationID: conversationID, epoch: envelope.epoch, senderID: senderID, deviceID: envelope.deviceID,
            clientMessageID: clientMessageID)
        guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature),
            senderSigningKey.isValidSignature(parsed, for: additional + ciphertext)
        else { throw E2EEError.badMessageSignature(messageID: messageID) }
        let bytes: Data
        do {
            let box = try AES.GCM.SealedBox(
                nonce: try AES.GCM.Nonce(data: iv), ciphertext: ciphertext.dropLast(E2EEBytes.tagLength),
                tag: ciphertext.suffix(E2EEBytes.tagLength))
            bytes = try AES.GCM.open(box, using: epochKey, authenticating: additional)
        } catch {
            throw E2EEError.openFailed("AES-GCM refused the message (\(error))")
        }
        let plaintext = try MessagePlaintext.decoded(from: bytes)
        if let expected = commitment ?? envelope.commitment {
            guard let key = plaintext.franking, Franking.opens(expected, key: key, content: plaintext.content) else {
                throw E2EEError.commitmentMismatch(messageID: messageID)
            }
        }
        return plaintext
    }
}
