/// The `encrypted` object of an end-to-end encrypted message, as sent and as the server
/// returns it: which epoch key and device, the AES-256-GCM nonce and ciphertext (tag
/// appended), the device's signature, and the franking commitment when there is one.
/// Binary fields are unpadded base64url.
public struct EncryptedEnvelope: Codable, Sendable, Hashable {
    public var epoch: Int
    /// The sending device.
    public var deviceId: String
    /// 12 bytes.
    public var iv: String
    /// AES-256-GCM over the UTF-8 JSON `{"content": "…"}`, the 16-byte tag appended.
    public var ciphertext: String
    /// ECDSA P-256/SHA-256 over the additional data followed by the ciphertext, r ‖ s.
    public var signature: String
    /// HMAC-SHA256 keyed with the franking key inside the ciphertext, over the UTF-8 of the
    /// content: lets a recipient prove to the server what was said (`report`).
    public var commitment: String?

    public init(epoch: Int, deviceId: String, iv: String, ciphertext: String, signature: String, commitment: String? = nil) {
        self.epoch = epoch
        self.deviceId = deviceId
        self.iv = iv
        self.ciphertext = ciphertext
        self.signature = signature
        self.commitment = commitment
    }
}
