/// The storage of end-to-end encryption: the device directory, sealed epoch keys, and
/// abuse reports. Both stores implement it and pass the same store suite. Writes that the
/// audit log records append their leaves in the same transaction.
public protocol EncryptionStore: Sendable {
    /// Registers `device` for its user, replacing the keys of the same device id. Throws
    /// `conflict` when the user has `E2EELimits.maxDevicesPerUser` devices and this one
    /// is new. `audit` is appended only when something changed.
    func registerDevice(_ device: Device, audit: AuditRecord) async throws -> DeviceRegistration

    /// The user's registered devices, oldest first.
    func devices(of userID: String) async throws -> [Device]

    /// One device of a user, or nil.
    func device(of userID: String, id deviceID: String) async throws -> Device?

    /// Retires (removes) a device and what was sealed to it, appending `audit`. Throws
    /// `notFound` when the user has no such device.
    func retireDevice(of userID: String, id deviceID: String, audit: AuditRecord) async throws

    /// Whether the two users share a conversation (as participants or its assignee).
    func sharesConversation(_ userID: String, with otherID: String) async throws -> Bool

    /// Stores a key set after `EpochRules.apply` (and `authorize`) accepted it against the
    /// conversation as the write sees it; returns the conversation's state after it.
    /// Throws `notFound` for an unknown conversation.
    func storeKeySet(_ set: NewKeySet, authorize: (@Sendable (Conversation) throws -> Void)?) async throws
        -> ConversationEncryption

    /// What was sealed to `deviceID` of `userID` in the conversation in epochs after
    /// `afterEpoch` (0: all), by epoch.
    func keys(conversationID: String, userID: String, deviceID: String, afterEpoch: Int64) async throws -> [DeliveredKey]

    /// One message of a conversation, or nil.
    func message(id messageID: String, in conversationID: String) async throws -> Message?

    /// Stores a report and appends `audit`; throws `conflict` when the reporter reported
    /// the message already.
    func storeReport(_ report: AbuseReport, audit: AuditRecord) async throws

    /// Reports, newest first, at most `limit`.
    func reports(limit: Int) async throws -> [AbuseReport]
}

extension EncryptionStore {
    /// Everything sealed to `deviceID` of `userID` in the conversation, by epoch.
    public func keys(conversationID: String, userID: String, deviceID: String) async throws -> [DeliveredKey] {
        try await keys(conversationID: conversationID, userID: userID, deviceID: deviceID, afterEpoch: 0)
    }
}
