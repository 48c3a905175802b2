import Crypto
import Foundation
import ParleyCore

/// Encrypts a Web Push payload for one browser subscription: RFC 8291 message encryption,
/// sent as one `aes128gcm` record (RFC 8188).
///
/// The body is `salt(16) ‖ rs(4, big-endian) ‖ idlen(1) = 65 ‖ sender public key(65) ‖
/// AES-128-GCM(payload ‖ 0x02 ‖ zero padding)`, with a fresh sender key and salt for
/// every message. Send it with `Content-Encoding: aes128gcm`.
///
/// ```swift
/// let body = try WebPushEncryptor().encrypt(payload, p256dh: subscription.p256dh, auth: subscription.auth)
/// ```
public struct WebPushEncryptor: Sendable {
    /// Why a payload could not be encrypted for a subscription.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// The subscription's `p256dh` is not unpadded base64url of an uncompressed P-256 point.
        case invalidP256dh(String)
        /// The subscription's `auth` is not unpadded base64url of 16 bytes.
        case invalidAuth(String)
        /// The payload is larger than `maximumPayloadSize`.
        case payloadTooLarge(size: Int, limit: Int)
        /// An injected salt that is not 16 bytes (tests only).
        case invalidSalt(size: Int)

        public var description: String {
            switch self {
            case .invalidP256dh(let reason): "invalid p256dh: \(reason)"
            case .invalidAuth(let reason): "invalid auth: \(reason)"
            case .payloadTooLarge(let size, let limit): "push payload of \(size) bytes is larger than the limit of \(limit) bytes"
            case .invalidSalt(let size): "salt must be 16 bytes, not \(size)"
            }
        }
    }

    /// How the payload is padded before encryption.
    public enum Padding: Sendable, Equatable {
        /// The delimiter only: the exact length shows (RFC 8291's worked example uses this).
        case none
        /// Rounded up to a multiple of `bucketSize` bytes (payload and delimiter), so that
        /// the body's length tells little about what a message says.
        case bucket(Int)

        /// Buckets of 256 bytes: a short chat notification fits one or two.
        public static let standard = Padding.bucket(256)
    }

    /// The record size written in the header. One record always suffices: the padded
    /// payload (at most 2 KiB) plus the 16-byte tag stays below it.
    public static let recordSize = 4096
    /// The most payload bytes one push carries. 2 KiB, not the 4 KiB RFC 8030 allows,
    /// because some push services refuse bodies near 4 KiB; with the delimiter it fills
    /// the last 256-byte bucket exactly.
    public static let maximumPayloadSize = 2048 - 1
    /// RFC 8188's salt length.
    public static let saltSize = 16
    /// RFC 8291's authentication secret length.
    public static let authSize = 16
    /// An uncompressed P-256 point: 0x04 ‖ x(32) ‖ y(32).
    public static let publicKeySize = 65

    /// Marks the end of the payload in the last (here: only) record; padding follows.
    private static let lastRecordDelimiter: UInt8 = 0x02
    private static let tagSize = 16

    public var padding: Padding

    public init(padding: Padding = .standard) {
        self.padding = padding
    }

    /// Encrypts `payload` for the subscription keys as the browser gave them (unpadded
    /// base64url, padded accepted too).
    ///
    /// - Parameters:
    ///   - senderKey: the ephemeral application-server key; a fresh one by default (tests inject one).
    ///   - salt: 16 bytes; random by default (tests inject one).
    public func encrypt(
        _ payload: some DataProtocol, p256dh: String, auth: String,
        senderKey: P256.KeyAgreement.PrivateKey = .init(), salt: Data? = nil
    ) throws -> [UInt8] {
        let receiverKey = try Self.receiverKey(p256dh: p256dh)
        let authSecret = try Self.authSecret(auth: auth)
        return try encrypt(payload, receiverKey: receiverKey, authSecret: authSecret, senderKey: senderKey, salt: salt)
    }

    /// Encrypts `payload` for an already decoded subscription key and auth secret.
    public func encrypt(
        _ payload: some DataProtocol, receiverKey: P256.KeyAgreement.PublicKey, authSecret: Data,
        senderKey: P256.KeyAgreement.PrivateKey = .init(), salt: Data? = nil
    ) throws -> [UInt8] {
        guard payload.count <= Self.maximumPayloadSize else {
            throw Failure.payloadTooLarge(size: payload.count, limit: Self.maximumPayloadSize)
        }
        guard authSecret.count == Self.authSize else {
            throw Failure.invalidAuth("must be \(Self.authSize) bytes, not \(authSecret.count)")
        }
        let salt = salt ?? Self.randomSalt()
        guard salt.count == Self.saltSize else { throw Failure.invalidSalt(size: salt.count) }

        let receiverPublic = receiverKey.x963Representation
        let senderPublic = senderKey.publicKey.x963Representation
        let sharedSecret = try senderKey.sharedSecretFromKeyAgreement(with: receiverKey)

        // RFC 8291 §3.4: the ECDH secret is bound to both public keys and the auth secret.
        var keyInfo = Data("WebPush: info".utf8)
        keyInfo.append(0)
        keyInfo.append(receiverPublic)
        keyInfo.append(senderPublic)
        let inputKeyMaterial = sharedSecret.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: authSecret, sharedInfo: keyInfo, outputByteCount: 32)

        // RFC 8188 §2.2 and §2.3: content-encryption key and nonce from the salt.
        let contentKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: inputKeyMaterial, salt: salt, info: Data("Content-Encoding: aes128gcm\u{0}".utf8), outputByteCount: 16)
        let nonceBytes = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: inputKeyMaterial, salt: salt, info: Data("Content-Encoding: nonce\u{0}".utf8), outputByteCount: 12)
        // One record, so its sequence number is 0 and the nonce is used unchanged.
        let nonce = try nonceBytes.withUnsafeBytes { try AES.GCM.Nonce(data: Data($0)) }

        var plaintext = Data(payload)
        plaintext.append(Self.lastRecordDelimiter)
        if case .bucket(let size) = padding, size > 1 {
            let padded = (plaintext.count + size - 1) / size * size
            plaintext.append(Data(count: padded - plaintext.count))
        }
        let sealed = try AES.GCM.seal(plaintext, using: contentKey, nonce: nonce)

        var body: [UInt8] = []
        body.reserveCapacity(Self.saltSize + 4 + 1 + Self.publicKeySize + plaintext.count + Self.tagSize)
        body.append(contentsOf: salt)
        body.append(contentsOf: withUnsafeBytes(of: UInt32(Self.recordSize).bigEndian) { Array($0) })
        body.append(UInt8(Self.publicKeySize))
        body.append(contentsOf: senderPublic)
        body.append(contentsOf: sealed.ciphertext)
        body.append(contentsOf: sealed.tag)
        return body
    }

    /// The subscription's public key from its `p256dh` text, refused unless it is an
    /// uncompressed point on P-256.
    public static func receiverKey(p256dh: String) throws -> P256.KeyAgreement.PublicKey {
        guard let bytes = Data(base64URLEncoded: p256dh) else { throw Failure.invalidP256dh("not base64url") }
        guard bytes.count == publicKeySize, bytes.first == 0x04 else {
            throw Failure.invalidP256dh("must be a 65-byte uncompressed P-256 point, got \(bytes.count) bytes")
        }
        do {
            return try P256.KeyAgreement.PublicKey(x963Representation: bytes)
        } catch {
            throw Failure.invalidP256dh("not a point on P-256")
        }
    }

    /// The subscription's authentication secret from its `auth` text, refused unless 16 bytes.
    public static func authSecret(auth: String) throws -> Data {
        guard let bytes = Data(base64URLEncoded: auth) else { throw Failure.invalidAuth("not base64url") }
        guard bytes.count == authSize else { throw Failure.invalidAuth("must be \(authSize) bytes, got \(bytes.count)") }
        return bytes
    }

    private static func randomSalt() -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<saltSize).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}
