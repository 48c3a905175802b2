import Foundation
import ParleyCore

/// The contract's binary fields: unpadded base64url of an exact length.
enum E2EEBytes {
    /// An uncompressed P-256 point: 0x04 ‖ x ‖ y.
    static let pointLength = 65
    /// ECDSA P-256 as r ‖ s, 32 bytes each (WebCrypto's form, not DER).
    static let signatureLength = 64
    /// The AES-256-GCM epoch key.
    static let epochKeyLength = 32
    /// The AES-GCM nonce.
    static let ivLength = 12
    /// The AES-GCM tag appended to every ciphertext.
    static let tagLength = 16
    /// The franking key a message may carry.
    static let frankingLength = 32

    /// `text` decoded as the server decodes it (canonical unpadded base64url, `Base64URL`),
    /// refusing any other length.
    static func decode(_ text: String, field: String, length: Int? = nil) throws -> Data {
        guard let decoded = Base64URL.decode(text) else {
            throw E2EEError.malformedField(name: field, reason: "not unpadded base64url")
        }
        let bytes = Data(decoded)
        if let length, bytes.count != length {
            throw E2EEError.malformedField(name: field, reason: "\(bytes.count) bytes, not \(length)")
        }
        return bytes
    }

    static func encode(_ bytes: some DataProtocol) -> String { Data(bytes).base64URLEncodedString() }
}
