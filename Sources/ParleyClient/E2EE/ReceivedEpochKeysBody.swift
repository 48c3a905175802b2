/// The answer of `GET /api/conversations/{conversationId}/keys?deviceId=…`: what was
/// sealed to that device, an entry per epoch (and per share).
public struct ReceivedEpochKeysBody: Codable, Sendable {
    public struct ReceivedKey: Codable, Sendable, Hashable {
        public var epoch: Int
        public var senderDeviceId: String
        /// HPKE enc ‖ ciphertext, unpadded base64url.
        public var key: String

        public init(epoch: Int, senderDeviceId: String, key: String) {
            self.epoch = epoch
            self.senderDeviceId = senderDeviceId
            self.key = key
        }
    }

    public var keys: [ReceivedKey]

    public init(keys: [ReceivedKey]) { self.keys = keys }
}
