/// `POST /api/conversations/{id}/keys`: an epoch's key sealed to devices.
public struct KeySetBody: Codable, Sendable {
    public struct Sealed: Codable, Sendable {
        public var userId: String
        public var deviceId: String
        /// Unpadded base64url of HPKE's enc‖ciphertext.
        public var key: String

        public init(userId: String, deviceId: String, key: String) {
            self.userId = userId
            self.deviceId = deviceId
            self.key = key
        }
    }

    public var epoch: Int64
    public var senderDeviceId: String
    public var sealed: [Sealed]
    /// Re-seals an existing epoch to the assignee's devices (escalation).
    public var share: Bool?

    public init(epoch: Int64, senderDeviceId: String, sealed: [Sealed], share: Bool? = nil) {
        self.epoch = epoch
        self.senderDeviceId = senderDeviceId
        self.sealed = sealed
        self.share = share
    }
}

/// The answer to a stored key set: the epoch, how many devices it was sealed to, and the
/// conversation's epochs after it.
public struct KeySetStoredBody: Codable, Sendable {
    public var epoch: Int64
    public var sealed: Int
    public var e2ee: ConversationEncryption

    public init(epoch: Int64, sealed: Int, e2ee: ConversationEncryption) {
        self.epoch = epoch
        self.sealed = sealed
        self.e2ee = e2ee
    }
}

/// `GET /api/conversations/{id}/keys?deviceId=…`: what was sealed to that device.
public struct KeyListBody: Codable, Sendable {
    public struct Entry: Codable, Sendable, Equatable {
        public var epoch: Int64
        public var senderDeviceId: String
        /// The sealing device's user (to look its signing key up).
        public var senderId: String
        public var key: String

        public init(_ key: DeliveredKey) {
            epoch = key.epoch
            senderDeviceId = key.senderDeviceID
            senderId = key.senderID
            self.key = key.key
        }
    }

    public var keys: [Entry]

    public init(keys: [Entry]) {
        self.keys = keys
    }
}
