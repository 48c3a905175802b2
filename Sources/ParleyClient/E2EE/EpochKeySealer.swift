import Crypto
import Foundation

/// Seals a conversation's epoch key to one device, and opens what was sealed to this one:
/// HPKE (RFC 9180) in base mode with DHKEM(P-256, HKDF-SHA256), HKDF-SHA256 and
/// AES-128-GCM, single-shot, `info` = UTF-8 of `parley-e2ee-v1|<conversationId>|<epoch>`,
/// empty additional data. The sealed form is the encapsulated key (65 bytes) followed by
/// the ciphertext (the 32-byte key and the 16-byte tag): 113 bytes in all.
///
/// The `info` binds a sealed key to its conversation and epoch: a sealed key moved to
/// another conversation or epoch does not open.
public enum EpochKeySealer {
    /// The contract's suite. Not one of swift-crypto's named suites (they pair P-256 with
    /// AES-256-GCM), hence spelled out.
    public static let ciphersuite = HPKE.Ciphersuite(kem: .P256_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_128)
    /// DHKEM(P-256)'s encapsulated key: an uncompressed point.
    static let encapsulatedKeyLength = 65

    /// The HPKE `info` for one epoch of one conversation.
    public static func info(conversationID: String, epoch: Int64) -> Data {
        Data("parley-e2ee-v1|\(conversationID)|\(epoch)".utf8)
    }

    /// A fresh 32-byte epoch key.
    public static func newEpochKey() -> SymmetricKey { SymmetricKey(size: .bits256) }

    /// `epochKey` sealed to `recipient` for `epoch` of `conversationID`: enc ‖ ciphertext.
    public static func seal(
        _ epochKey: SymmetricKey, to recipient: P256.KeyAgreement.PublicKey, conversationID: String, epoch: Int64
    ) throws -> Data {
        try seal(
            epochKey.withUnsafeBytes { Data($0) }, to: recipient, info: info(conversationID: conversationID, epoch: epoch),
            authenticating: Data())
    }

    /// The epoch key sealed to `privateKey` for `epoch` of `conversationID`.
    public static func open(
        _ sealed: Data, with privateKey: P256.KeyAgreement.PrivateKey, conversationID: String, epoch: Int64
    ) throws -> SymmetricKey {
        let key = try open(sealed, with: privateKey, info: info(conversationID: conversationID, epoch: epoch), authenticating: Data())
        guard key.count == E2EEBytes.epochKeyLength else {
            throw E2EEError.openFailed("the sealed epoch key is \(key.count) bytes, not \(E2EEBytes.epochKeyLength)")
        }
        return SymmetricKey(data: key)
    }

    /// HPKE single-shot seal in base mode with the contract's suite: enc ‖ ciphertext.
    public static func seal(
        _ plaintext: Data, to recipient: P256.KeyAgreement.PublicKey, info: Data, authenticating additionalData: Data
    ) throws -> Data {
        var sender = try HPKE.Sender(recipientKey: recipient, ciphersuite: ciphersuite, info: info)
        return sender.encapsulatedKey + (try sender.seal(plaintext, authenticating: additionalData))
    }

    /// HPKE single-shot open of enc ‖ ciphertext in base mode with the contract's suite.
    public static func open(
        _ sealed: Data, with privateKey: P256.KeyAgreement.PrivateKey, info: Data, authenticating additionalData: Data
    ) throws -> Data {
        guard sealed.count >= encapsulatedKeyLength + E2EEBytes.tagLength else {
            throw E2EEError.openFailed("\(sealed.count) bytes are too few for enc ‖ ciphertext")
        }
        let start = sealed.startIndex
        do {
            var recipient = try HPKE.Recipient(
                privateKey: privateKey, ciphersuite: ciphersuite, info: info,
                encapsulatedKey: Data(sealed[start..<(start + encapsulatedKeyLength)]))
            return try recipient.open(Data(sealed[(start + encapsulatedKeyLength)...]), authenticating: additionalData)
        } catch {
            throw E2EEError.openFailed("HPKE refused the sealed key (\(error))")
        }
    }
}
