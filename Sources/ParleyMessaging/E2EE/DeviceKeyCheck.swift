import Crypto
import ParleyCore

/// The public-key checks of end-to-end encryption, with swift-crypto: a device's keys are
/// valid uncompressed P-256 points and belong together (its signing key signed its
/// encryption key), and a message's signature is its device's.
enum DeviceKeyCheck {
    /// Checks a registration; the keys' bytes are refused naming the field.
    static func validate(signingKey: String, encryptionKey: String, signature: String) throws(ParleyError) {
        let signingBytes = try Base64URL.field(signingKey, field: "signingKey", count: E2EELimits.publicKeyBytes)
        let encryptionBytes = try Base64URL.field(encryptionKey, field: "encryptionKey", count: E2EELimits.publicKeyBytes)
        let signatureBytes = try Base64URL.field(signature, field: "signature", count: E2EELimits.signatureBytes)
        let publicKey = try signingPublicKey(signingBytes, field: "signingKey")
        if encryptionBytes.first != 0x04 || (try? P256.KeyAgreement.PublicKey(x963Representation: encryptionBytes)) == nil {
            throw .invalid(field: "encryptionKey", reason: "not an uncompressed P-256 point on the curve (0x04‖x‖y)")
        }
        guard verify(signatureBytes, of: encryptionBytes, with: publicKey) else {
            throw .invalid(field: "signature", reason: "is not signingKey's ECDSA P-256/SHA-256 signature over the encryptionKey bytes")
        }
    }

    /// Checks an encrypted message's signature by `device` over its additional data and ciphertext.
    static func verifyMessage(
        _ envelope: EncryptedEnvelope, conversationID: String, senderID: String, clientMessageID: String, device: Device,
        fieldPrefix: String
    ) throws(ParleyError) {
        let field = fieldPrefix + "encrypted.signature"
        guard let keyBytes = Base64URL.decode(device.signingKey), let publicKey = try? P256.Signing.PublicKey(x963Representation: keyBytes),
            let ciphertext = Base64URL.decode(envelope.ciphertext), let signature = Base64URL.decode(envelope.signature)
        else { throw .invalid(field: field, reason: "cannot be checked") }
        let signed = envelope.signedBytes(
            conversationID: conversationID, senderID: senderID, clientMessageID: clientMessageID, ciphertext: ciphertext)
        guard verify(signature, of: signed, with: publicKey) else {
            throw .invalid(
                field: field,
                reason: "is not the device's ECDSA signature over \"<conversationId>|<epoch>|<senderId>|<deviceId>|<clientMessageId>\" and the ciphertext")
        }
    }

    private static func signingPublicKey(_ bytes: [UInt8], field: String) throws(ParleyError) -> P256.Signing.PublicKey {
        guard bytes.first == 0x04, let key = try? P256.Signing.PublicKey(x963Representation: bytes) else {
            throw .invalid(field: field, reason: "not an uncompressed P-256 point on the curve (0x04‖x‖y)")
        }
        return key
    }

    private static func verify(_ signature: [UInt8], of data: [UInt8], with key: P256.Signing.PublicKey) -> Bool {
        guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
        return key.isValidSignature(parsed, for: data)
    }
}
