/// The body of `POST /api/conversations/{conversationId}/keys`: one epoch's key, sealed by
/// `senderDeviceId` to each listed device. `share: true` when a participant hands existing
/// epoch keys to a support agent's devices on escalation (the server audits each share).
public struct EpochKeySetBody: Codable, Sendable, Hashable {
    /// The epoch key sealed to one device.
    public struct SealedKey: Codable, Sendable, Hashable {
        public var userId: String
        public var deviceId: String
        /// HPKE enc ‖ ciphertext, unpadded base64url.
        public var key: String

        public init(userId: String, deviceId: String, key: String) {
            self.userId = userId
            self.deviceId = deviceId
            self.key = key
        }
    }

    public var epoch: Int
    public var senderDeviceId: String
    public var sealed: [SealedKey]
    public var share: Bool?

    public init(epoch: Int, senderDeviceId: String, sealed: [SealedKey], share: Bool? = nil) {
        self.epoch = epoch
        self.senderDeviceId = senderDeviceId
        self.sealed = sealed
        self.share = share
    }
}
