import ParleyCore
import ParleyRealtime

/// End-to-end encryption's commands: the device directory, epoch key sets, encrypted
/// messages' checks and receipts, and abuse reports. The server stays a relay: it checks
/// shapes, signatures and who may do what, and never holds a key that opens a message.
extension MessagingService {
    // MARK: Devices

    /// `PUT /api/devices/{deviceId}`: registers (or replaces the keys of) one of the
    /// caller's devices, once its keys are valid P-256 points and its signing key signed
    /// its encryption key. A change is recorded in the audit log and announced.
    public func registerDevice(
        _ deviceID: String, signingKey: String, encryptionKey: String, signature: String, by principal: Principal
    ) async throws -> (Device, DeviceRegistration) {
        try rateLimiter.take(principal.userID)
        let encryption = try requireEncryption()
        try Self.checkDeviceID(deviceID)
        try DeviceKeyCheck.validate(signingKey: signingKey, encryptionKey: encryptionKey, signature: signature)
        let now = clock.now()
        let device = Device(
            userID: principal.userID, deviceID: deviceID, signingKey: signingKey, encryptionKey: encryptionKey,
            signature: signature, createdAt: now)
        // The same keys again change nothing and cost nothing; a change takes a turn.
        if try await encryption.device(of: principal.userID, id: deviceID)?.hasSameKeys(as: device) != true {
            try deviceChanges.take(principal.userID)
        }
        // The public keys go in the leaf: the log then shows every key a user's devices
        // ever had, which is what a safety number is checked against.
        let audit = AuditRecord(
            time: now, principal: principal, action: .deviceRegistered, conversationID: nil,
            details: ["deviceId": .string(deviceID), "signingKey": .string(signingKey), "encryptionKey": .string(encryptionKey)])
        let registration = try await encryption.registerDevice(device, audit: audit)
        if registration.changed {
            logger.info("device registered", metadata: ["user": "\(principal.userID)", "device": "\(deviceID)", "change": "\(registration)"])
            await publishDevicesChanged(of: principal.userID)
        }
        let stored = try await encryption.device(of: principal.userID, id: deviceID) ?? device
        return (stored, registration)
    }

    /// `GET /api/users/{userId}/devices`: for the user itself, those who share a
    /// conversation with it, support and service; `notFound` for anyone else (whether the
    /// user exists is not told).
    public func devices(of userID: String, for principal: Principal) async throws -> [Device] {
        let encryption = try requireEncryption()
        try Validation.userID(userID, field: "userId")
        if !userID.isSameID(as: principal.userID) && !principal.role.seesEverything {
            guard try await encryption.sharesConversation(principal.userID, with: userID) else {
                throw ParleyError.notFound(what: "user")
            }
        }
        return try await encryption.devices(of: userID)
    }

    /// `DELETE /api/devices/{deviceId}`: retires one of the caller's devices, with what
    /// was sealed to it.
    public func retireDevice(_ deviceID: String, by principal: Principal) async throws {
        try rateLimiter.take(principal.userID)
        let encryption = try requireEncryption()
        try Validation.externalID(deviceID, field: "deviceId")
        try deviceChanges.take(principal.userID)
        let audit = AuditRecord(
            time: clock.now(), principal: principal, action: .deviceRetired, conversationID: nil,
            details: ["deviceId": .string(deviceID)])
        try await encryption.retireDevice(of: principal.userID, id: deviceID, audit: audit)
        logger.info("device retired", metadata: ["user": "\(principal.userID)", "device": "\(deviceID)"])
        await publishDevicesChanged(of: principal.userID)
    }

    /// `devices.changed` to the user's own connections and everyone who shares a
    /// conversation with it: their clients fetch its devices again and start a new epoch.
    func publishDevicesChanged(of userID: String) async {
        var recipients = [userID]
        do {
            recipients += try await store.relatedUsers(of: userID, limit: PresenceService.maxAudience)
        } catch {
            logger.warning("devices.changed reaches only the user's own connections", metadata: ["error": "\(error)"])
        }
        hub.publish(Delivery(recipients: recipients, event: .devicesChanged(userID: userID)))
    }

    // MARK: Epoch keys

    /// `POST /api/conversations/{id}/keys`: a participant's device seals an epoch's key to
    /// devices (`EpochRules` decides which epochs, inside the write). A share (escalation)
    /// is recorded in the audit log in the same transaction.
    public func storeKeySet(_ conversationID: String, body: KeySetBody, by principal: Principal) async throws
        -> ConversationEncryption
    {
        try rateLimiter.take(principal.userID)
        let encryption = try requireEncryption()
        let conversation = try await visibleConversation(conversationID, for: principal)
        try Self.requireEncrypted(conversation)
        guard conversation.isParticipant(principal.userID) else {
            throw ParleyError.forbidden(reason: "only participants start epochs and share keys")
        }
        try Validation.externalID(body.senderDeviceId, field: "senderDeviceId")
        guard try await encryption.device(of: principal.userID, id: body.senderDeviceId) != nil else {
            throw ParleyError.invalid(field: "senderDeviceId", reason: "not a registered device of yours")
        }
        let share = body.share ?? false
        let sealed = try await checkedSealedKeys(body.sealed, share: share, in: conversation, encryption: encryption)
        let now = clock.now()
        var audit: [AuditRecord] = []
        if share {
            // One recipient user (EpochRules: the assignee's devices only).
            audit.append(
                AuditRecord(
                    time: now, principal: principal, action: .keysShared, conversationID: conversationID,
                    details: [
                        "epoch": .integer(body.epoch), "senderDeviceId": .string(body.senderDeviceId),
                        "recipientUserId": .string(sealed.first?.userID ?? ""),
                        "recipientDeviceIds": .array(sealed.map { .string($0.deviceID) }),
                    ]))
        }
        // Both clients seal every new epoch to the assignee too: the store completes this
        // leaf with the assignee and its devices when the write finds them among the recipients.
        let assigneeAudit = AuditRecord(
            time: now, principal: principal, action: .keysShared, conversationID: conversationID,
            details: ["epoch": .integer(body.epoch), "senderDeviceId": .string(body.senderDeviceId), "newEpoch": .bool(true)])
        let state = try await encryption.storeKeySet(
            NewKeySet(
                conversationID: conversationID, epoch: body.epoch, senderID: principal.userID, senderDeviceID: body.senderDeviceId,
                sealed: sealed, share: share, now: now, audit: audit, assigneeAudit: share ? nil : assigneeAudit),
            authorize: { current in try Policy.requireVisible(principal, current) })
        logger.info(
            share ? "epoch key shared" : "epoch key set stored",
            metadata: ["conversation": "\(conversationID)", "epoch": "\(body.epoch)", "devices": "\(sealed.count)"])
        // Participants and the assignee see the new epoch (and a cleared rekey) on the conversation.
        if !share, let after = try await store.conversation(id: conversationID) { await publishUpdate(after) }
        return state
    }

    /// `GET /api/conversations/{id}/keys?deviceId=…[&afterEpoch=n]`: what was sealed to one
    /// of the caller's devices (in epochs after `afterEpoch`: a client that holds the
    /// older keys fetches only the new), for participants and the assignee.
    public func keys(_ conversationID: String, deviceID: String?, afterEpoch: Int64? = nil, for principal: Principal) async throws
        -> [DeliveredKey]
    {
        if let afterEpoch, afterEpoch < 0 { throw ParleyError.invalid(field: "afterEpoch", reason: "must be 0 or more") }
        let encryption = try requireEncryption()
        let conversation = try await visibleConversation(conversationID, for: principal)
        try Self.requireEncrypted(conversation)
        guard EpochRules.isMember(principal.userID, of: conversation) else {
            throw ParleyError.forbidden(reason: "keys are sealed to participants and the assignee only")
        }
        guard let deviceID else { throw ParleyError.invalid(field: "deviceId", reason: "required") }
        try Validation.externalID(deviceID, field: "deviceId")
        guard try await encryption.device(of: principal.userID, id: deviceID) != nil else {
            throw ParleyError.invalid(field: "deviceId", reason: "not a registered device of yours")
        }
        return try await encryption.keys(
            conversationID: conversationID, userID: principal.userID, deviceID: deviceID, afterEpoch: afterEpoch ?? 0)
    }

    /// The sealed keys of a key set, checked: 1 to `maxSealedPerKeySet`, each to a
    /// registered device (each once) of a member (`EpochRules.checkRecipient`, before any
    /// device is looked up: outsiders' devices are neither told nor read), each key at
    /// most `maxSealedKeyBytes`. The store checks the members again inside the write.
    private func checkedSealedKeys(
        _ entries: [KeySetBody.Sealed], share: Bool, in conversation: Conversation, encryption: any EncryptionStore
    ) async throws -> [SealedKey] {
        guard !entries.isEmpty, entries.count <= E2EELimits.maxSealedPerKeySet else {
            throw ParleyError.invalid(field: "sealed", reason: "must list 1 to \(E2EELimits.maxSealedPerKeySet) devices")
        }
        var devicesByUser: [OpaqueID: Set<String>] = [:]
        var seen = Set<[String]>()
        var sealed: [SealedKey] = []
        for (index, entry) in entries.enumerated() {
            try Validation.userID(entry.userId, field: "sealed[\(index)].userId")
            try Validation.externalID(entry.deviceId, field: "sealed[\(index)].deviceId")
            _ = try Base64URL.field(entry.key, field: "sealed[\(index)].key", minCount: 1, maxCount: E2EELimits.maxSealedKeyBytes)
            guard seen.insert([entry.userId, entry.deviceId]).inserted else {
                throw ParleyError.invalid(field: "sealed[\(index)]", reason: "the same device is listed twice")
            }
            try EpochRules.checkRecipient(entry.userId, at: index, share: share, in: conversation)
            let user = OpaqueID(entry.userId)
            if devicesByUser[user] == nil {
                devicesByUser[user] = Set(try await encryption.devices(of: entry.userId).map(\.deviceID))
            }
            guard devicesByUser[user]?.contains(entry.deviceId) == true else {
                throw ParleyError.invalid(field: "sealed[\(index)].deviceId", reason: "not a registered device of \(entry.userId)")
            }
            sealed.append(SealedKey(userID: entry.userId, deviceID: entry.deviceId, key: entry.key))
        }
        return sealed
    }

    // MARK: Encrypted messages

    /// The annotations of an encrypted message: its envelope as sent, after checking that
    /// its device is the sender's and signed it, and the franking receipt when it carries
    /// a commitment.
    func encryptedAnnotations(
        of draft: MessageDraft, messageID: String, in conversationID: String, now: Timestamp, by principal: Principal
    ) async throws -> MessageAnnotations {
        guard let envelope = draft.encrypted, let clientMessageID = draft.clientMessageID else { return draft.annotations }
        let encryption = try requireEncryption(field: "encrypted")
        let conversation = try await visibleConversation(conversationID, for: principal)
        try Self.requireEncryptionMatches(draft, conversation)
        guard let device = try await encryption.device(of: principal.userID, id: envelope.deviceID) else {
            throw ParleyError.invalid(field: "encrypted.deviceId", reason: "not a registered device of the sender")
        }
        try DeviceKeyCheck.verifyMessage(
            envelope, conversationID: conversationID, senderID: principal.userID, clientMessageID: clientMessageID, device: device,
            fieldPrefix: "")
        var annotations = MessageAnnotations(encrypted: envelope)
        if let commitment = EncryptedDraftCheck.commitment(of: draft) {
            annotations.commitment = commitment
            annotations.receipt = try franking.receipt(
                conversationID: conversationID, messageID: messageID, senderID: principal.userID, timestamp: now,
                commitment: commitment)
        }
        return annotations
    }

    /// Inside the write: an encrypted conversation takes only ciphertext in an epoch that
    /// is not stale; a plain one takes no ciphertext.
    static func requireEncryptionMatches(_ draft: MessageDraft, _ conversation: Conversation) throws(ParleyError) {
        if conversation.isEncrypted {
            guard let envelope = draft.encrypted else {
                throw .invalid(field: "content", reason: "the conversation is end-to-end encrypted: send `encrypted`, never plain content")
            }
            try EpochRules.checkMessage(epoch: envelope.epoch, in: conversation)
        } else if draft.encrypted != nil {
            throw .invalid(field: "encrypted", reason: "the conversation is not end-to-end encrypted: send content")
        }
    }

    // MARK: Reports

    /// `POST …/messages/{messageId}/report`: a participant other than the sender reveals
    /// an encrypted message's text and franking key; the server checks both against the
    /// commitment it signed on receipt, keeps the report for support and records it in
    /// the audit log (without the text).
    public func report(
        _ conversationID: String, messageID: String, content: String, franking frankingKey: String, by principal: Principal
    ) async throws -> AbuseReport {
        try rateLimiter.take(principal.userID)
        let encryption = try requireEncryption()
        let conversation = try await visibleConversation(conversationID, for: principal)
        guard conversation.isParticipant(principal.userID) else {
            throw ParleyError.forbidden(reason: "only participants report the messages they received")
        }
        try Validation.externalID(messageID, field: "messageId")
        guard let message = try await encryption.message(id: messageID, in: conversationID) else {
            throw ParleyError.notFound(what: "message")
        }
        if message.senderID.isSameID(as: principal.userID) {
            throw ParleyError.forbidden(reason: "a sender does not report its own message")
        }
        guard let commitment = message.annotations.commitment else {
            throw ParleyError.invalid(field: "messageId", reason: "the message carries no franking commitment: it cannot be reported")
        }
        if content.utf8.count > E2EELimits.maxReportContentBytes {
            throw ParleyError.tooLarge(field: "content", limit: E2EELimits.maxReportContentBytes)
        }
        let key = try Base64URL.field(frankingKey, field: "franking", count: E2EELimits.frankingKeyBytes)
        guard FrankingSigner.opens(commitment: commitment, franking: key, content: content) else {
            throw ParleyError.invalid(field: "franking", reason: "with this content it does not open the message's commitment")
        }
        guard franking.receiptVerifies(for: message) else {
            throw ParleyError.invalid(field: "messageId", reason: "the message's receipt does not verify with this server's audit key")
        }
        let now = clock.now()
        let report = AbuseReport(
            reportID: Identifier.make(prefix: "r"), conversationID: conversationID, messageID: messageID, senderID: message.senderID,
            reporterID: principal.userID, content: content, createdAt: now)
        try await encryption.storeReport(
            report,
            audit: AuditRecord(
                time: now, principal: principal, action: .messageReported, conversationID: conversationID,
                details: ["messageId": .string(messageID), "senderId": .string(message.senderID), "reportId": .string(report.reportID)]))
        logger.notice("message reported", metadata: ["conversation": "\(conversationID)", "message": "\(messageID)"])
        return report
    }

    /// `GET /api/reports`: support and service only.
    public func reports(limit: Int, by principal: Principal) async throws -> [AbuseReport] {
        let encryption = try requireEncryption()
        guard principal.role.seesEverything else { throw ParleyError.forbidden(reason: "only support and service read reports") }
        return try await encryption.reports(limit: limit)
    }

    // MARK: Helpers

    private func requireEncryption(field: String = "encrypted") throws(ParleyError) -> any EncryptionStore {
        guard let encryption else {
            throw .invalid(field: field, reason: "end-to-end encryption is not available on this server")
        }
        return encryption
    }

    /// A device id is part of the signed additional data, whose fields `|` separates: a
    /// `|` inside one would let two different ids sign the same bytes.
    private static func checkDeviceID(_ deviceID: String) throws(ParleyError) {
        try Validation.externalID(deviceID, field: "deviceId")
        if deviceID.contains("|") {
            throw .invalid(field: "deviceId", reason: "may not contain `|`: it separates the fields of the signed additional data")
        }
    }

    private static func requireEncrypted(_ conversation: Conversation) throws(ParleyError) {
        guard conversation.isEncrypted else {
            throw .invalid(field: "conversationId", reason: "the conversation is not end-to-end encrypted")
        }
    }

    /// A thread's key; an encrypted thread is its own, beside a plain one between the
    /// same people about the same thing.
    static func threadKey(_ command: CreateConversation, participants: [Participant]) -> String {
        let key = ThreadKey.make(participantIDs: participants.map(\.userID), productID: command.productID, orderID: command.orderID)
        // U+001F cannot appear in a user id, and no plain key starts with "e2ee".
        return command.encrypted ? "e2ee\u{1F}" + key : key
    }
}
