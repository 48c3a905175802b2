/// The ciphertext of an end-to-end encrypted message, as its sender's device wrote it
/// (the contract's `encrypted` object). The server checks its shape and its signature,
/// stores it and relays it as sent; it never holds the key that opens it.
///
/// Binary values are unpadded base64url text (``Base64URL``), kept as the client sent them.
public struct EncryptedEnvelope: Sendable, Hashable, Codable {
    /// The epoch whose key encrypted it (1 for the first key set).
    public var epoch: Int64
    /// The sender's device that encrypted and signed it.
    public var deviceID: String
    /// 12 bytes: the AES-256-GCM nonce.
    public var iv: String
    /// AES-256-GCM over the UTF-8 JSON `{"content": …}`, the 16-byte tag appended.
    public var ciphertext: String
    /// 64 bytes r‖s: ECDSA P-256/SHA-256 by the device's signing key over
    /// ``signedBytes(conversationID:senderID:clientMessageID:ciphertext:)``.
    public var signature: String
    /// HMAC-SHA256 of the content keyed with the franking bytes (32 bytes), when the
    /// sender made the message reportable.
    public var commitment: String?

    public init(
        epoch: Int64, deviceID: String, iv: String, ciphertext: String, signature: String, commitment: String? = nil
    ) {
        self.epoch = epoch
        self.deviceID = deviceID
        self.iv = iv
        self.ciphertext = ciphertext
        self.signature = signature
        self.commitment = commitment
    }

    private enum CodingKeys: String, CodingKey {
        case epoch
        case deviceID = "deviceId"
        case iv, ciphertext, signature, commitment
    }

    /// The additional data of the AES-GCM encryption: UTF-8 of
    /// `<conversationId>|<epoch>|<senderId>|<deviceId>|<clientMessageId>`.
    public static func additionalData(
        conversationID: String, epoch: Int64, senderID: String, deviceID: String, clientMessageID: String
    ) -> [UInt8] {
        Array("\(conversationID)|\(epoch)|\(senderID)|\(deviceID)|\(clientMessageID)".utf8)
    }

    /// What the device signs: the additional data followed by the ciphertext's bytes.
    public func signedBytes(conversationID: String, senderID: String, clientMessageID: String, ciphertext bytes: [UInt8])
        -> [UInt8]
    {
        Self.additionalData(
            conversationID: conversationID, epoch: epoch, senderID: senderID, deviceID: deviceID,
            clientMessageID: clientMessageID) + bytes
    }
}
