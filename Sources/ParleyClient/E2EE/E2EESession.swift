import Crypto
import Foundation
import ParleyCore

/// One device's end-to-end encryption against a Parley server: registers the device,
/// starts epochs (a fresh key sealed to every device of every participant), opens the
/// keys sealed to it, shares them with a support agent on escalation, and sends and reads
/// encrypted messages, verifying each sender device's signature before decrypting.
///
/// ```swift
/// let session = E2EESession(userID: "seller1", identity: DeviceIdentity(deviceID: "phone"), client: client)
/// try await session.register()
/// let epoch = try await session.startEpoch(conversationID)
/// _ = try await session.send(conversationID, "Sale mañana")
/// for message in try await session.messages(conversationID) { print(message.content ?? "(cannot show)") }
/// ```
///
/// An actor: its epoch keys and shares are its own state. Device keys are checked
/// against `keyStore`, which may be shared with other sessions of the same device.
public actor E2EESession {
    public nonisolated let userID: String
    public nonisolated let identity: DeviceIdentity
    public nonisolated let client: ParleyRESTClient
    public nonisolated let keyStore: DeviceKeyStore

    /// Epoch keys this device holds: conversation → epoch → every key that opened for it,
    /// in the order they arrived. A participant may share a key that opens but encrypts
    /// nothing (by mistake or to block reading); the others stay usable.
    private var epochKeys: [String: [Int64: [SymmetricKey]]] = [:]
    /// The server's audit key, once fetched (franking receipts verify with it).
    private var auditKey: Data?
    /// Shares made by this session, newest last.
    public private(set) var shares: [KeyShare] = []

    public init(userID: String, identity: DeviceIdentity, client: ParleyRESTClient, keyStore: DeviceKeyStore = DeviceKeyStore()) {
        self.userID = userID
        self.identity = identity
        self.client = client
        self.keyStore = keyStore
    }

    /// Publishes this device's public keys.
    public func register() async throws {
        try await client.registerDevice(identity)
    }

    // MARK: Devices

    /// `userID`'s devices, each with its signature checked and compared with what the key
    /// store remembers. A bad signature or a change not yet accepted throws: nothing is
    /// sealed to a key the user has not seen.
    ///
    /// This device itself is never taken from the listing: its keys are `identity`'s. A
    /// listing that holds other keys under its id throws `ownDeviceKeysReplaced`.
    public func verifiedDevices(of userID: String) async throws -> [DevicePublicKeys] {
        var devices: [DevicePublicKeys] = []
        var changes: [DeviceKeyChange] = []
        for record in try await client.devices(ofUser: userID) {
            if let own = try ownKeys(for: record, of: userID) {
                devices.append(own)
                continue
            }
            let keys = try record.verifiedKeys(userID: userID)
            if case .changed(let change) = await keyStore.observe(keys) { changes.append(change) }
            devices.append(keys)
        }
        guard changes.isEmpty else { throw E2EEError.deviceKeysChanged(changes) }
        return devices
    }

    /// `identity`'s public keys when `record` is listed under this device's id, nil for
    /// any other device; throws when the listed keys are not this device's.
    private func ownKeys(for record: DeviceBody, of userID: String) throws -> DevicePublicKeys? {
        guard userID == self.userID, record.deviceId == identity.deviceID else { return nil }
        let signing = try? E2EEBytes.decode(record.signingKey, field: "signingKey", length: E2EEBytes.pointLength)
        let encryption = try? E2EEBytes.decode(record.encryptionKey, field: "encryptionKey", length: E2EEBytes.pointLength)
        guard signing == identity.signingKeyBytes, encryption == identity.encryptionKeyBytes else {
            let listed = (signing.flatMap { s in encryption.map { SafetyNumber.of(signingKey: s, encryptionKey: $0) } }) ?? "(malformed)"
            throw E2EEError.ownDeviceKeysReplaced(deviceID: identity.deviceID, listedSafetyNumber: listed)
        }
        return identity.publicKeys(userID: userID)
    }

    // MARK: Epoch keys

    /// The epochs whose keys this device holds for `conversationID`, after fetching and
    /// opening what was sealed to it.
    ///
    /// An entry that does not open (altered, or sealed for another epoch) is passed over:
    /// the same epoch may come again in a share from another device, and one bad entry
    /// must not keep the others closed. Every distinct key that opens is kept (decrypting
    /// tries them in order), so a key that opens but is wrong does not hide the right one.
    /// Messages of an epoch left without a key say so (`missingEpochKey`).
    @discardableResult
    public func loadKeys(_ conversationID: String) async throws -> [Int64] {
        for received in try await client.epochKeys(conversationID, deviceID: identity.deviceID) {
            guard let sealed = try? E2EEBytes.decode(received.key, field: "key"),
                let key = try? EpochKeySealer.open(
                    sealed, with: identity.agreementKey, conversationID: conversationID, epoch: received.epoch)
            else { continue }
            add(key, conversationID: conversationID, epoch: received.epoch)
        }
        return (epochKeys[conversationID] ?? [:]).keys.sorted()
    }

    private func add(_ key: SymmetricKey, conversationID: String, epoch: Int64) {
        let held = epochKeys[conversationID]?[epoch] ?? []
        guard !held.contains(key) else { return }
        epochKeys[conversationID, default: [:]][epoch] = held + [key]
    }

    /// The newest epoch this device holds a key for, if any.
    public func currentEpoch(_ conversationID: String) -> Int64? { epochKeys[conversationID]?.keys.max() }

    /// Starts a new epoch: draws a key and seals it to every device of every participant
    /// (this user's other devices and this one included) and of the assigned agent, then
    /// posts the set. `epoch` defaults to the one after the conversation's newest (the
    /// server refuses any other with `409 stale_epoch` or `400`).
    @discardableResult
    public func startEpoch(_ conversationID: String, epoch: Int64? = nil) async throws -> Int64 {
        try await loadKeys(conversationID)
        let conversation = try await client.conversation(conversationID).conversation
        let next = epoch ?? ((conversation.encryption?.epoch ?? currentEpoch(conversationID) ?? 0) + 1)
        var users = conversation.participants.map(\.userID)
        for user in [userID] + [conversation.assignedTo].compactMap({ $0 }) where !users.contains(user) { users.append(user) }
        let key = EpochKeySealer.newEpochKey()
        var sealed: [KeySetBody.Sealed] = []
        for user in users {
            for device in try await verifiedDevices(of: user) {
                let box = try EpochKeySealer.seal(key, to: device.encryptionKey, conversationID: conversationID, epoch: next)
                sealed.append(.init(userId: user, deviceId: device.deviceID, key: E2EEBytes.encode(box)))
            }
        }
        try await client.postEpochKeys(conversationID, KeySetBody(epoch: next, senderDeviceId: identity.deviceID, sealed: sealed))
        // This device's own key first: it is the one it sends with.
        epochKeys[conversationID, default: [:]][next] = [key] + (epochKeys[conversationID]?[next] ?? []).filter { $0 != key }
        return next
    }

    /// Seals every epoch key this device holds for the conversation to each of `userID`'s
    /// devices (`share: true`, one post per epoch): what a participant does when a
    /// support agent is assigned, so that the agent can read the history.
    @discardableResult
    public func shareKeys(_ conversationID: String, with recipientUserID: String) async throws -> KeyShare {
        let epochs = try await loadKeys(conversationID)
        let devices = try await verifiedDevices(of: recipientUserID)
        for epoch in epochs {
            // The first key is the one this device sends with; the others may be bogus.
            guard let key = epochKeys[conversationID]?[epoch]?.first else { continue }
            let sealed = try devices.map { device in
                KeySetBody.Sealed(
                    userId: recipientUserID, deviceId: device.deviceID,
                    key: E2EEBytes.encode(try EpochKeySealer.seal(key, to: device.encryptionKey, conversationID: conversationID, epoch: epoch)))
            }
            guard !sealed.isEmpty else { continue }
            try await client.postEpochKeys(
                conversationID, KeySetBody(epoch: epoch, senderDeviceId: identity.deviceID, sealed: sealed, share: true))
        }
        let share = KeyShare(
            conversationID: conversationID, recipientUserID: recipientUserID, recipientDeviceIDs: devices.map(\.deviceID),
            epochs: devices.isEmpty ? [] : epochs)
        shares.append(share)
        return share
    }

    // MARK: Messages

    /// Encrypts `content` with the newest epoch key and sends it. `franking`: the message
    /// carries a franking key and commitment, so a recipient can report it.
    ///
    /// When the conversation says `rekeyRequired` (a participant or assignee left holding
    /// the current key) and this user is a participant, a new epoch is started first
    /// (once per send), so the one who left cannot read this message.
    ///
    /// When the server answers `409 stale_epoch` (a newer epoch was started since, after a
    /// participant left) the message is encrypted again once with the newest key this
    /// device can open; without a newer one, the refusal is thrown.
    public func send(
        _ conversationID: String, _ content: String, franking: Bool = false, clientMessageID: String = UUID().uuidString
    ) async throws -> Message {
        let conversation = try await client.conversation(conversationID).conversation
        if conversation.encryption?.rekeyRequired == true, conversation.participants.contains(where: { $0.userID == userID }) {
            try await startEpoch(conversationID)
        }
        if currentEpoch(conversationID) == nil { try await loadKeys(conversationID) }
        let plaintext = MessagePlaintext(content: content, franking: franking ? Franking.newKey() : nil)
        let firstEpoch = try currentEpochKey(conversationID).epoch
        do {
            return try await send(plaintext, in: conversationID, epoch: firstEpoch, clientMessageID: clientMessageID)
        } catch let error as ParleyClientError where error.code == "stale_epoch" {
            try await loadKeys(conversationID)
            let newest = try currentEpochKey(conversationID).epoch
            guard newest > firstEpoch else { throw error }
            return try await send(plaintext, in: conversationID, epoch: newest, clientMessageID: clientMessageID)
        }
    }

    private func currentEpochKey(_ conversationID: String) throws -> (epoch: Int64, key: SymmetricKey) {
        guard let epoch = currentEpoch(conversationID), let key = epochKeys[conversationID]?[epoch]?.first else {
            throw E2EEError.missingEpochKey(conversationID: conversationID, epoch: 0)
        }
        return (epoch, key)
    }

    private func send(_ plaintext: MessagePlaintext, in conversationID: String, epoch: Int64, clientMessageID: String) async throws
        -> Message
    {
        guard let key = epochKeys[conversationID]?[epoch]?.first else {
            throw E2EEError.missingEpochKey(conversationID: conversationID, epoch: epoch)
        }
        let envelope = try MessageCipher.encrypt(
            plaintext, epochKey: key, conversationID: conversationID, epoch: epoch, senderID: userID,
            clientMessageID: clientMessageID, identity: identity)
        return try await client.send(conversationID, SendMessageBody(encrypted: envelope, clientMessageId: clientMessageID))
    }

    /// Whether `message`'s franking receipt verifies with the server's audit key (fetched
    /// once per session): a recipient checks it before counting on a report.
    public func receiptVerifies(_ message: Message) async throws -> Bool {
        let key: Data
        if let auditKey {
            key = auditKey
        } else {
            key = try await client.auditPublicKey()
            auditKey = key
        }
        return Franking.receiptVerifies(message, auditPublicKey: key)
    }

    /// A page of messages (same `query` as `GET …/messages`), each verified and decrypted
    /// or with the reason it cannot be shown.
    public func messages(_ conversationID: String, query: [String: String] = [:]) async throws -> [DecryptedMessage] {
        let page = try await client.messages(conversationID, query: query)
        var devicesBySender: [String: Result<[String: E2EEError], E2EEError>] = [:]
        var results: [DecryptedMessage] = []
        for message in page.messages {
            guard let envelope = message.annotations.encrypted else {
                results.append(DecryptedMessage(message: message, result: .success(MessagePlaintext(content: message.content))))
                continue
            }
            let senderDevices: Result<[String: E2EEError], E2EEError>
            if let listed = devicesBySender[message.senderID] {
                senderDevices = listed
            } else {
                senderDevices = await listing(of: message.senderID)
                devicesBySender[message.senderID] = senderDevices
            }
            results.append(
                DecryptedMessage(message: message, result: await decrypt(message, envelope: envelope, listing: senderDevices)))
        }
        return results
    }

    /// Reports a franked message this device decrypted: its content and franking key go to
    /// the server, which checks them against the commitment and its receipt.
    @discardableResult
    public func report(_ message: DecryptedMessage) async throws -> ParleyRESTClient.RawResponse {
        guard case .success(let plaintext) = message.result, let franking = plaintext.franking else {
            throw E2EEError.malformedPlaintext("only a decrypted message with a franking key can be reported")
        }
        return try await client.reportMessage(
            message.message.conversationID, messageID: message.message.messageID,
            ReportRequestBody(content: plaintext.content, franking: E2EEBytes.encode(franking)))
    }

    /// A sender's devices, fetched once per page and observed by the key store; the result
    /// is why each refused device was refused (by device id). A listing that cannot be
    /// fetched is every one of its messages' reason; one device with a bad record is only
    /// its own messages' reason. This device's own id is never taken from the listing.
    private func listing(of senderID: String) async -> Result<[String: E2EEError], E2EEError> {
        do {
            var refused: [String: E2EEError] = [:]
            for record in try await client.devices(ofUser: senderID) {
                do {
                    if try ownKeys(for: record, of: senderID) != nil { continue }
                    await keyStore.observe(try record.verifiedKeys(userID: senderID))
                } catch let error as E2EEError {
                    refused[record.deviceId] = error
                }
            }
            return .success(refused)
        } catch let error as E2EEError {
            return .failure(error)
        } catch {
            return .failure(.unknownDevice(userID: senderID, deviceID: "(listing failed: \(error))"))
        }
    }

    private func decrypt(
        _ message: Message, envelope: EncryptedEnvelope, listing: Result<[String: E2EEError], E2EEError>
    ) async -> Result<MessagePlaintext, E2EEError> {
        do {
            // A retired device is no longer listed; the keys remembered for it still
            // verify what it sent while it was in use. This device's own messages verify
            // with its own key, whatever the server lists.
            let refused = try listing.get()
            let sender: DevicePublicKeys
            if message.senderID == userID, envelope.deviceID == identity.deviceID {
                sender = identity.publicKeys(userID: userID)
            } else if let trusted = await keyStore.trustedKeys(userID: message.senderID, deviceID: envelope.deviceID) {
                sender = trusted
            } else {
                throw refused[envelope.deviceID] ?? E2EEError.unknownDevice(userID: message.senderID, deviceID: envelope.deviceID)
            }
            guard let clientMessageID = message.clientMessageID else {
                throw E2EEError.malformedField(name: "clientMessageId", reason: "an encrypted message must have one")
            }
            if epochKeys[message.conversationID]?[envelope.epoch] == nil { try await loadKeys(message.conversationID) }
            guard let held = epochKeys[message.conversationID]?[envelope.epoch], !held.isEmpty else {
                throw E2EEError.missingEpochKey(conversationID: message.conversationID, epoch: envelope.epoch)
            }
            do {
                // Each key that opened for this epoch, in order: only a wrong key fails to
                // open (`openFailed`); any other refusal is the message's own. When none
                // opens, the keys are fetched again once: the right one may have come since
                // (the server keeps the newest share per device and epoch).
                var lastError: Error = E2EEError.missingEpochKey(conversationID: message.conversationID, epoch: envelope.epoch)
                var tried: [SymmetricKey] = []
                for round in 0..<2 {
                    if round == 1 { try await loadKeys(message.conversationID) }
                    for key in epochKeys[message.conversationID]?[envelope.epoch] ?? [] where !tried.contains(key) {
                        tried.append(key)
                        do {
                            return .success(
                                try MessageCipher.decrypt(
                                    envelope, epochKey: key, conversationID: message.conversationID, senderID: message.senderID,
                                    clientMessageID: clientMessageID, senderSigningKey: sender.signingKey, messageID: message.messageID,
                                    commitment: message.annotations.commitment))
                        } catch E2EEError.openFailed(let reason) {
                            lastError = E2EEError.openFailed(reason)
                        }
                    }
                }
                throw lastError
            } catch E2EEError.badMessageSignature(let messageID) {
                // Signed with keys listed now but not accepted: say so, not "forged".
                let pending = await keyStore.pendingChanges.filter { $0.userID == message.senderID && $0.deviceID == envelope.deviceID }
                throw pending.isEmpty ? E2EEError.badMessageSignature(messageID: messageID) : E2EEError.deviceKeysChanged(pending)
            }
        } catch let error as E2EEError {
            return .failure(error)
        } catch {
            return .failure(.openFailed("\(error)"))
        }
    }
}
