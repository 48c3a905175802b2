import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// `EncryptionStore` (issue 16), the same on SQLite and PostgreSQL (PostgreSQL when
/// `PARLEY_TEST_POSTGRES_URL` is set, as scripts/test.sh does; without it only SQLite runs).
@Suite struct EncryptionStoreTests {
    static var kinds: [StoreKind] { ThrowawayPostgres.serverURL == nil ? [.sqlite] : StoreKind.allCases }

    static func stores(_ store: any ConversationStore) throws -> (any EncryptionStore, any AuditStore) {
        (try #require(store as? any EncryptionStore), try #require(store as? any AuditStore))
    }

    static func device(_ userID: String, _ deviceID: String, key: String = "k1", at offset: Int64 = 0) -> Device {
        Device(
            userID: userID, deviceID: deviceID, signingKey: "S-\(key)", encryptionKey: "E-\(key)", signature: "G-\(key)",
            createdAt: Make.time(offset))
    }

    static func audit(_ action: AuditAction, _ actor: String, conversationID: String? = nil) -> AuditRecord {
        AuditRecord(time: Make.time(), actor: actor, role: "buyer", action: action, conversationID: conversationID, details: ["n": 1])
    }

    static func encryptedConversation(orderID: String = "o1") -> NewConversation {
        var request = Make.conversation(orderID: orderID)
        request.encrypted = true
        return request
    }

    static func keySet(
        _ conversationID: String, epoch: Int64, to devices: [(String, String)], share: Bool = false, audit: [AuditRecord] = []
    ) -> NewKeySet {
        NewKeySet(
            conversationID: conversationID, epoch: epoch, senderID: "buyer1", senderDeviceID: "phone",
            sealed: devices.map { SealedKey(userID: $0.0, deviceID: $0.1, key: "sealed-\(epoch)-\($0.0)-\($0.1)") }, share: share,
            now: Make.time(epoch), audit: audit)
    }

    @Test(arguments: kinds)
    func devicesRegisterReplaceAndRetireWithTheirAuditLeaves(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let (encryption, audit) = try Self.stores(store)
            #expect(try await encryption.registerDevice(Self.device("buyer1", "phone"), audit: Self.audit(.deviceRegistered, "buyer1")) == .created)
            #expect(try await encryption.registerDevice(Self.device("buyer1", "phone"), audit: Self.audit(.deviceRegistered, "buyer1")) == .unchanged)
            #expect(try await audit.auditTreeSize() == 1, "an unchanged registration appends nothing")
            #expect(
                try await encryption.registerDevice(Self.device("buyer1", "phone", key: "k2", at: 5), audit: Self.audit(.deviceRegistered, "buyer1"))
                    == .replaced)
            #expect(try await encryption.device(of: "buyer1", id: "phone")?.encryptionKey == "E-k2")
            #expect(try await encryption.device(of: "seller1", id: "phone") == nil)
            // Devices are per user: another user's "phone" is another device.
            #expect(try await encryption.registerDevice(Self.device("seller1", "phone"), audit: Self.audit(.deviceRegistered, "seller1")) == .created)
            for index in 1..<E2EELimits.maxDevicesPerUser {
                _ = try await encryption.registerDevice(Self.device("buyer1", "d\(index)", at: Int64(index)), audit: Self.audit(.deviceRegistered, "buyer1"))
            }
            await #expect(throws: ParleyError.self) {
                _ = try await encryption.registerDevice(Self.device("buyer1", "one-more"), audit: Self.audit(.deviceRegistered, "buyer1"))
            }
            #expect(try await encryption.devices(of: "buyer1").count == E2EELimits.maxDevicesPerUser)
            let sizeBefore = try await audit.auditTreeSize()
            try await encryption.retireDevice(of: "buyer1", id: "d1", audit: Self.audit(.deviceRetired, "buyer1"))
            await #expect(throws: ParleyError.notFound(what: "device")) {
                try await encryption.retireDevice(of: "buyer1", id: "d1", audit: Self.audit(.deviceRetired, "buyer1"))
            }
            #expect(try await audit.auditTreeSize() == sizeBefore + 1, "a refused retirement appends nothing")
            let leaves = try await audit.auditLeaves(from: 0, limit: 100, conversationID: nil)
            #expect(leaves.filter { $0.text.contains(AuditAction.deviceRetired.rawValue) }.count == 1)
            #expect(try await encryption.devices(of: "buyer1").map(\.deviceID).contains("d1") == false)
        }
    }

    @Test(arguments: kinds)
    func keySetsFollowTheEpochRulesInsideTheWrite(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let (encryption, audit) = try Self.stores(store)
            let plain = try await store.createConversation(Make.conversation(orderID: "plain")).conversation
            #expect(plain.encryption == nil)
            let conversation = try await store.createConversation(Self.encryptedConversation()).conversation
            let id = conversation.conversationID
            #expect(conversation.encryption == ConversationEncryption())
            await #expect(throws: ParleyError.self) {
                _ = try await encryption.storeKeySet(Self.keySet(plain.conversationID, epoch: 1, to: [("buyer1", "phone")]), authorize: nil)
            }
            let first = try await encryption.storeKeySet(
                Self.keySet(id, epoch: 1, to: [("buyer1", "phone"), ("seller1", "laptop")]), authorize: nil)
            #expect(first == ConversationEncryption(epoch: 1, floor: 0, rekeyRequired: false))
            await #expect(throws: ParleyError.staleEpoch(reason: "")) {
                do {
                    _ = try await encryption.storeKeySet(Self.keySet(id, epoch: 1, to: [("buyer1", "phone")]), authorize: nil)
                } catch ParleyError.staleEpoch { throw ParleyError.staleEpoch(reason: "") }
            }
            await #expect(throws: ParleyError.self) {
                _ = try await encryption.storeKeySet(Self.keySet(id, epoch: 1, to: [("stranger", "x")]), authorize: nil)
            }
            // A refusal by `authorize` (a `ParleyError`, as the stores' writers expect) writes nothing.
            let refusal = ParleyError.forbidden(reason: "refused")
            await #expect(throws: refusal) {
                _ = try await encryption.storeKeySet(Self.keySet(id, epoch: 2, to: [("buyer1", "phone")]), authorize: { _ in throw refusal })
            }
            #expect(try await store.conversation(id: id)?.encryption?.epoch == 1)
            #expect(try await encryption.keys(conversationID: id, userID: "seller1", deviceID: "laptop").map(\.key) == ["sealed-1-seller1-laptop"])

            // An assignee who leaves: a rekey is due, and the next key set raises the floor.
            _ = try await store.updateConversation(id: id, change: .assignee("agent1"), now: Make.time(10))
            #expect(try await store.conversation(id: id)?.encryption?.rekeyRequired == false)
            let shareAudit = AuditRecord(
                time: Make.time(11), actor: "buyer1", role: "buyer", action: .keysShared, conversationID: id,
                details: ["epoch": 1, "recipientUserId": "agent1"])
            let sizeBefore = try await audit.auditTreeSize()
            let shared = try await encryption.storeKeySet(
                Self.keySet(id, epoch: 1, to: [("agent1", "desk")], share: true, audit: [shareAudit]), authorize: nil)
            #expect(shared.epoch == 1)
            #expect(try await audit.auditTreeSize() == sizeBefore + 1)
            let leaf = try #require(try await audit.auditLeaves(from: sizeBefore, limit: 1, conversationID: id).first)
            #expect(leaf.text.contains(AuditAction.keysShared.rawValue))
            #expect(try await encryption.keys(conversationID: id, userID: "agent1", deviceID: "desk").map(\.epoch) == [1])
            _ = try await store.updateConversation(id: id, change: .assignee(nil), now: Make.time(12))
            #expect(try await store.conversation(id: id)?.encryption?.rekeyRequired == true)
            let second = try await encryption.storeKeySet(Self.keySet(id, epoch: 2, to: [("buyer1", "phone")]), authorize: nil)
            #expect(second == ConversationEncryption(epoch: 2, floor: 2, rekeyRequired: false))
            let stored = try #require(try await store.conversation(id: id))
            #expect(stored.encryption == second)
            #expect(throws: ParleyError.self) { try EpochRules.checkMessage(epoch: 1, in: stored) }
            try EpochRules.checkMessage(epoch: 2, in: stored)
            #expect(try await encryption.keys(conversationID: id, userID: "buyer1", deviceID: "phone").map(\.epoch) == [1, 2])
            #expect(try await encryption.keys(conversationID: id, userID: "buyer1", deviceID: "phone", afterEpoch: 1).map(\.epoch) == [2])
            #expect(try await encryption.keys(conversationID: id, userID: "buyer1", deviceID: "phone", afterEpoch: 2).isEmpty)
            // A replaced device loses what was sealed to its old key; the users share the conversation.
            _ = try await encryption.registerDevice(Self.device("buyer1", "phone", key: "new"), audit: Self.audit(.deviceRegistered, "buyer1"))
            _ = try await encryption.registerDevice(Self.device("buyer1", "phone", key: "newer"), audit: Self.audit(.deviceRegistered, "buyer1"))
            #expect(try await encryption.keys(conversationID: id, userID: "buyer1", deviceID: "phone").isEmpty)
            #expect(try await encryption.sharesConversation("buyer1", with: "seller1"))
            #expect(try await encryption.sharesConversation("seller1", with: "buyer1"))
            #expect(try await encryption.sharesConversation("buyer1", with: "stranger") == false)
        }
    }

    @Test(arguments: kinds)
    func aNewEpochToTheAssigneeIsAuditedAndARepeatedShareWritesNothing(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let (encryption, audit) = try Self.stores(store)
            let id = try await store.createConversation(Self.encryptedConversation()).conversation.conversationID
            let template = AuditRecord(
                time: Make.time(1), actor: "buyer1", role: "buyer", action: .keysShared, conversationID: id,
                details: ["epoch": 1, "newEpoch": true])
            // No assignee: the template is not appended.
            var size = try await audit.auditTreeSize()
            var set = Self.keySet(id, epoch: 1, to: [("buyer1", "phone"), ("seller1", "laptop")])
            set.assigneeAudit = template
            _ = try await encryption.storeKeySet(set, authorize: nil)
            #expect(try await audit.auditTreeSize() == size)
            // The assignee among the recipients: appended in the same write, naming its devices.
            _ = try await store.updateConversation(id: id, change: .assignee("agent1"), now: Make.time(2))
            size = try await audit.auditTreeSize()
            set = Self.keySet(id, epoch: 2, to: [("buyer1", "phone"), ("agent1", "desk"), ("agent1", "tablet")])
            set.assigneeAudit = template
            _ = try await encryption.storeKeySet(set, authorize: nil)
            #expect(try await audit.auditTreeSize() == size + 1)
            let leaf = try #require(try await audit.auditLeaves(from: size, limit: 1, conversationID: id).first)
            #expect(leaf.text.contains(#""recipientDeviceIds":["desk","tablet"]"#), "\(leaf.text)")
            #expect(leaf.text.contains(#""recipientUserId":"agent1""#) && leaf.text.contains(#""newEpoch":true"#), "\(leaf.text)")
            // A key set refused inside the write appends nothing.
            size = try await audit.auditTreeSize()
            await #expect(throws: ParleyError.self) { _ = try await encryption.storeKeySet(set, authorize: nil) }
            #expect(try await audit.auditTreeSize() == size)
            // A share, then the same share again: one leaf; a share with other bytes is a change.
            let shareAudit = AuditRecord(
                time: Make.time(3), actor: "buyer1", role: "buyer", action: .keysShared, conversationID: id, details: ["epoch": 1])
            let share = Self.keySet(id, epoch: 1, to: [("agent1", "desk")], share: true, audit: [shareAudit])
            _ = try await encryption.storeKeySet(share, authorize: nil)
            #expect(try await audit.auditTreeSize() == size + 1)
            _ = try await encryption.storeKeySet(share, authorize: nil)
            #expect(try await audit.auditTreeSize() == size + 1, "a repeated share appends nothing")
            var changed = share
            changed.sealed[0].key = "other"
            _ = try await encryption.storeKeySet(changed, authorize: nil)
            #expect(try await audit.auditTreeSize() == size + 2)
            #expect(try await encryption.keys(conversationID: id, userID: "agent1", deviceID: "desk").map(\.key) == ["other", "sealed-2-agent1-desk"])
        }
    }

    @Test func aConversationHasAtMostTheEpochLimit() async throws {
        try await StoreKind.sqlite.withStore { store in
            var conversation = try await store.createConversation(Self.encryptedConversation()).conversation
            let id = conversation.conversationID
            conversation.encryption?.epoch = E2EELimits.maxEpochsPerConversation - 1
            let last = try EpochRules.apply(Self.keySet(id, epoch: E2EELimits.maxEpochsPerConversation, to: [("buyer1", "phone")]), to: conversation)
            #expect(last.epoch == E2EELimits.maxEpochsPerConversation)
            conversation.encryption = last
            #expect(throws: ParleyError.self) {
                do {
                    _ = try EpochRules.apply(Self.keySet(id, epoch: E2EELimits.maxEpochsPerConversation + 1, to: [("buyer1", "phone")]), to: conversation)
                } catch ParleyError.conflict(let reason) {
                    #expect(reason.contains("\(E2EELimits.maxEpochsPerConversation) epochs"))
                    throw ParleyError.conflict(reason: reason)
                }
            }
        }
    }

    @Test(arguments: kinds)
    func encryptedMessagesKeepTheirEnvelopeAndReportsAreKept(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let (encryption, audit) = try Self.stores(store)
            let id = try await store.createConversation(Self.encryptedConversation()).conversation.conversationID
            var message = Make.message(id, "", clientID: "c1")
            let envelope = EncryptedEnvelope(epoch: 1, deviceID: "phone", iv: "aXY", ciphertext: "Y3Q", signature: "c2ln", commitment: "Y29t")
            message.annotations = MessageAnnotations(encrypted: envelope, commitment: "Y29t", receipt: "cmVj")
            let appended = try await store.appendMessage(message)
            let read = try #require(try await encryption.message(id: appended.message.messageID, in: id))
            #expect(read.content == "" && read.annotations.encrypted == envelope)
            #expect(read.annotations.commitment == "Y29t" && read.annotations.receipt == "cmVj")
            #expect(try await encryption.message(id: appended.message.messageID, in: "c_other") == nil)

            let sizeBefore = try await audit.auditTreeSize()
            let first = AbuseReport(
                reportID: "r_1", conversationID: id, messageID: read.messageID, senderID: "buyer1", reporterID: "seller1",
                content: "texto", createdAt: Make.time(1))
            try await encryption.storeReport(first, audit: Self.audit(.messageReported, "seller1", conversationID: id))
            await #expect(throws: ParleyError.self) {
                try await encryption.storeReport(first, audit: Self.audit(.messageReported, "seller1", conversationID: id))
            }
            var second = first
            second.reportID = "r_2"
            second.reporterID = "other"
            second.createdAt = Make.time(2)
            try await encryption.storeReport(second, audit: Self.audit(.messageReported, "other", conversationID: id))
            #expect(try await encryption.reports(limit: 10) == [second, first])
            #expect(try await encryption.reports(limit: 1) == [second])
            #expect(try await audit.auditTreeSize() == sizeBefore + 2)
        }
    }
}
