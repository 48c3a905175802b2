/// A registered device of a user: its public keys, which other devices seal epoch keys
/// to and check message signatures with. Keys are unpadded base64url of uncompressed
/// P-256 points, as registered; `signature` is the device's ECDSA over its encryption
/// key's bytes (so a client can check the pair belongs together).
public struct Device: Sendable, Hashable {
    public var userID: String
    public var deviceID: String
    public var signingKey: String
    public var encryptionKey: String
    public var signature: String
    public var createdAt: Timestamp

    public init(
        userID: String, deviceID: String, signingKey: String, encryptionKey: String, signature: String, createdAt: Timestamp
    ) {
        self.userID = userID
        self.deviceID = deviceID
        self.signingKey = signingKey
        self.encryptionKey = encryptionKey
        self.signature = signature
        self.createdAt = createdAt
    }

    /// Whether `other` carries the same keys: a re-registration that changes nothing. The
    /// signature is left out: ECDSA signs with a fresh nonce, so a client that signs again
    /// sends other bytes for the same keys (the stored one stays).
    public func hasSameKeys(as other: Device) -> Bool {
        signingKey == other.signingKey && encryptionKey == other.encryptionKey
    }
}
