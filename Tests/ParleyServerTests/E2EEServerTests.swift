import Foundation
import ParleyClient
import ParleyCore
import ParleyTestSupport
import Testing

/// End-to-end encryption through a real Parley node: a buyer on the independent Python
/// implementation (Tests/E2EE/counterpart.py), a seller and a support agent on the Swift
/// client (`E2EESession`). The server relays ciphertext and sealed keys it cannot open;
/// the SQLite files hold none of the words exchanged.
@Suite(.serialized) struct E2EEServerTests {
    /// Words that appear in the messages and must appear nowhere at rest.
    static let buyerText = "¿Sigue disponible la bicicleta ZAFIRO-7731 roja?"
    static let sellerText = "Sí, la entrego el martes en Palermo QUETZAL-4402"
    static let laterText = "Perfecto, pago contra entrega OCELOTE-9120"

    /// The node, its database folder, and the three people.
    struct Setup {
        let server: TestServer
        let python: E2EECounterpart
        let buyerToken: String
        let seller: E2EESession
        let conversationID: String

        /// The fields every /server/* operation of the Python buyer needs.
        func buyer(_ extra: [String: Any] = [:]) -> [String: Any] {
            [
                "baseURL": server.baseURL, "token": buyerToken, "deviceId": "buyer-phone", "userId": "buyer1",
                "conversationId": conversationID,
            ].merging(extra) { $1 }
        }
    }

    /// A node on `databasePath`; the buyer (Python, device `buyer-phone`) and the seller
    /// (Swift, device `seller-tablet`) registered; an encrypted conversation the buyer
    /// created, with epoch 1 started by the buyer's device.
    static func withSetup(_ body: @Sendable (Setup, String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-e2ee-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let python = try await E2EECounterpart.start()
        defer { python.stop() }
        let databasePath = folder.appendingPathComponent("parley.sqlite").path
        try await TestServer.with(options: .init(userWritesPerSecond: 0, databasePath: databasePath)) { server in
            let buyerToken = try await server.token("buyer1", .buyer)
            _ = try await python.device("buyer-phone")
            let registered = try await python.call(
                "/server/register", ["baseURL": server.baseURL, "token": buyerToken, "deviceId": "buyer-phone"])
            #expect((200..<300).contains(registered["status"] as? Int ?? 0), "\(registered)")

            let seller = E2EESession(
                userID: "seller1", identity: DeviceIdentity(deviceID: "seller-tablet"), client: try await server.client("seller1", .seller))
            try await seller.register()

            let created = try await python.call(
                "/server/request",
                ["baseURL": server.baseURL, "token": buyerToken, "method": "POST", "path": "/api/conversations",
                 "body": ["participants": [["userId": "buyer1", "role": "buyer"], ["userId": "seller1", "role": "seller"]],
                          "orderId": "PED-E2EE-1", "encrypted": true] as [String: Any]])
            #expect(created["status"] as? Int == 201, "\(created)")
            let conversation = try #require(created["body"] as? [String: Any])
            #expect(conversation["encrypted"] as? Bool == true)
            let conversationID = try #require(conversation["conversationId"] as? String)

            let setup = Setup(server: server, python: python, buyerToken: buyerToken, seller: seller, conversationID: conversationID)
            let epoch = try await python.call("/server/start-epoch", setup.buyer(["epoch": 1]))
            #expect(epoch["status"] as? Int == 201, "\(epoch)")
            let sealedTo = try #require(epoch["sealedTo"] as? [[String]])
            #expect(Set(sealedTo.map { $0.joined(separator: "/") }) == ["buyer1/buyer-phone", "seller1/seller-tablet"])
            try await body(setup, databasePath)
        }
    }

    @Test func aPythonBuyerAndASwiftSellerExchangeEncryptedMessagesAndTheDatabaseHoldsOnlyCiphertext() async throws {
        try await Self.withSetup { setup, databasePath in
            // The buyer (Python) writes, franked so that it can be reported.
            let sent = try await setup.python.call(
                "/server/send", setup.buyer(["content": Self.buyerText, "clientMessageId": "py-1", "franking": true]))
            #expect(sent["status"] as? Int == 201, "\(sent)")
            let stored = try #require(sent["body"] as? [String: Any])
            #expect(stored["content"] as? String == "", "the server stores no text for an encrypted message")
            #expect(stored["encrypted"] is [String: Any] && stored["receipt"] is String)

            // The seller (Swift) reads it, verified, and answers.
            let page = try await setup.seller.messages(setup.conversationID)
            #expect(page.map(\.content) == [Self.buyerText])
            let reply = try await setup.seller.send(setup.conversationID, Self.sellerText, franking: true)
            #expect(reply.content.isEmpty && reply.annotations.encrypted?.epoch == 1)

            // The buyer (Python) reads both, each verified with its sender device's key,
            // and checks the server's receipt on each with the audit key.
            let read = try await setup.python.call("/server/read", setup.buyer())
            let messages = try #require(read["messages"] as? [[String: Any]])
            #expect(messages.map { $0["content"] as? String } == [Self.buyerText, Self.sellerText])
            #expect(messages.allSatisfy { $0["error"] is NSNull }, "\(messages)")
            #expect(messages.map { $0["receiptValid"] as? Bool } == [true, true])

            // The seller checks the receipt on the buyer's message too; an altered one fails.
            var received = try #require(page.first?.message)
            #expect(try await setup.seller.receiptVerifies(received))
            received.annotations.receipt = try Tamper.flip(try #require(received.annotations.receipt), byte: 10)
            #expect(try await setup.seller.receiptVerifies(received) == false)

            // A plain text in an encrypted conversation is refused.
            await expectStatus(400) {
                _ = try await setup.seller.client.send(setup.conversationID, SendMessageBody(content: "en claro", clientMessageId: "plain-1"))
            }
            // The search can fail: a plain conversation's text is found in the same files.
            let plain = try await setup.seller.client.createThread(
                orderID: "PED-PLAIN-1", with: [("buyer1", .buyer)], me: ("seller1", .seller), message: "texto en claro CONTROL-5531")
            #expect(plain.conversation.encryption == nil)
            #expect(try Self.holds(databasePath, "CONTROL-5531"))
            try Self.expectNoPlaintext(at: databasePath, [Self.buyerText, Self.sellerText, "ZAFIRO-7731", "QUETZAL-4402"])

            // The seller reports the buyer's franked message: the server checks Python's
            // commitment against its receipt. Reporting reveals that one message to support
            // (it is stored with the report), and nothing else.
            let report = try await setup.seller.report(try #require(page.first))
            #expect(report.status == 201)
            #expect(try Self.holds(databasePath, "ZAFIRO-7731"))
            try Self.expectNoPlaintext(at: databasePath, [Self.sellerText, "QUETZAL-4402"])
            // A report whose text is not what the buyer committed to is refused.
            let forged = try await setup.seller.client.raw(
                .POST, "/api/conversations/\(setup.conversationID)/messages/\(try #require(page.first?.message.messageID))/report",
                body: try JSONEncoder().encode(
                    ReportRequestBody(
                        content: "Otra cosa", franking: try #require(try page.first?.result.get().franking).base64URLEncodedString())))
            #expect(forged.status == 400 && forged.error?.error.code == "invalid_request", "\(forged.status)")
        }
    }

    @Test func afterAssignmentAParticipantSharesTheKeysAndTheAgentReadsTheHistory() async throws {
        try await Self.withSetup { setup, databasePath in
            let server = setup.server
            #expect(try await setup.python.call("/server/send", setup.buyer(["content": Self.buyerText, "clientMessageId": "py-1"]))["status"] as? Int == 201)
            _ = try await setup.seller.send(setup.conversationID, Self.sellerText)

            let agent = E2EESession(
                userID: "agent7", identity: DeviceIdentity(deviceID: "agent7-desk"), client: try await server.client("agent7", .support))
            try await agent.register()
            _ = try await server.client("lead1", .support).setAssignee(setup.conversationID, "agent7")

            // Until a participant shares, the agent sees only ciphertext.
            let before = try await agent.messages(setup.conversationID)
            #expect(before.count == 2 && before.allSatisfy { $0.content == nil })
            #expect(before.allSatisfy { if case .failure(.missingEpochKey) = $0.result { true } else { false } })

            // The seller's device shares epoch 1 with the agent's devices, and says so.
            let share = try await setup.seller.shareKeys(setup.conversationID, with: "agent7")
            #expect(share == KeyShare(conversationID: setup.conversationID, recipientUserID: "agent7", recipientDeviceIDs: ["agent7-desk"], epochs: [1]))
            #expect(await setup.seller.shares == [share])
            let history = try await agent.messages(setup.conversationID)
            #expect(history.map(\.content) == [Self.buyerText, Self.sellerText])

            // A new epoch the seller starts now includes the assignee; the buyer (Python)
            // writes in it and everyone reads it.
            let epoch = try await setup.seller.startEpoch(setup.conversationID)
            #expect(epoch == 2)
            let later = try await setup.python.call("/server/send", setup.buyer(["content": Self.laterText, "clientMessageId": "py-2"]))
            #expect(later["status"] as? Int == 201, "\(later)")
            #expect((later["body"] as? [String: Any]).flatMap { $0["encrypted"] as? [String: Any] }?["epoch"] as? Int == 2)
            #expect(try await agent.messages(setup.conversationID).map(\.content) == [Self.buyerText, Self.sellerText, Self.laterText])
            #expect(try await setup.seller.messages(setup.conversationID).map(\.content) == [Self.buyerText, Self.sellerText, Self.laterText])
            // And the Python buyer opens the Swift seller's epoch 2 key.
            let loaded = try await setup.python.call("/server/load-keys", setup.buyer())
            #expect(loaded["epochs"] as? [Int] == [1, 2])

            try Self.expectNoPlaintext(at: databasePath, [Self.buyerText, Self.sellerText, Self.laterText, "ZAFIRO-7731", "QUETZAL-4402", "OCELOTE-9120"])

            // The audit log holds the assignment and the share (who, to which devices), never text.
            let (status, audit) = try await NotificationTestSupport.call(
                try await server.client("lead1", .support), .GET, "/api/audit/entries?conversationId=\(setup.conversationID)")
            #expect(status == 200)
            let leaves = (audit["entries"] as? [[String: Any]] ?? []).compactMap { $0["leaf"] as? String }
            let actions = leaves.compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["action"] as? String
            }
            #expect(actions.contains("conversation.assignee") && actions.contains("e2ee.keys_shared"), "\(actions)")
            let shareLeaf = try #require(leaves.first { $0.contains("e2ee.keys_shared") })
            #expect(shareLeaf.contains("seller1") && shareLeaf.contains("agent7-desk"), "\(shareLeaf)")
            #expect(!leaves.contains { $0.contains("ZAFIRO") || $0.contains("QUETZAL") })
        }
    }

    @Test func aChangedDeviceKeyIsShownAndNotSealedToUntilAccepted() async throws {
        try await Self.withSetup { setup, _ in
            let before = try await setup.seller.verifiedDevices(of: "buyer1")
            #expect(before.map(\.deviceID) == ["buyer-phone"])
            // The buyer's phone comes back with new keys under the same device id (a
            // reinstall, or a server slipping its own key in: the seller cannot tell).
            let replaced = try await setup.python.device("buyer-phone")
            let registered = try await setup.python.call("/server/register", setup.buyer())
            #expect((200..<300).contains(registered["status"] as? Int ?? 0))

            await #expect(throws: E2EEError.self) { try await setup.seller.startEpoch(setup.conversationID) }
            let changes = await setup.seller.keyStore.pendingChanges
            #expect(changes.map(\.deviceID) == ["buyer-phone"])
            let change = try #require(changes.first)
            #expect(change.previousSafetyNumber == before.first?.safetyNumber && change.newSafetyNumber == replaced.safetyNumber)
            #expect(change.previousSafetyNumber != change.newSafetyNumber)

            // The buyer's new keys start epoch 2 and write in it: the seller shows that the
            // key changed instead of the message, until it accepts the new number.
            #expect(try await setup.python.call("/server/start-epoch", setup.buyer(["epoch": 2]))["status"] as? Int == 201)
            #expect(try await setup.python.call("/server/send", setup.buyer(["content": Self.laterText, "clientMessageId": "py-9"]))["status"] as? Int == 201)
            let unaccepted = try #require(try await setup.seller.messages(setup.conversationID).last)
            #expect(unaccepted.content == nil)
            #expect(unaccepted.result.failureValue == .deviceKeysChanged([change]))

            // Once the seller compared and accepted the new number, the message shows and
            // the next epoch goes to the new keys.
            #expect(await setup.seller.keyStore.acceptChange(userID: "buyer1", deviceID: "buyer-phone", newSafetyNumber: replaced.safetyNumber))
            #expect(try await setup.seller.messages(setup.conversationID).last?.content == Self.laterText)
            #expect(try await setup.seller.startEpoch(setup.conversationID) == 3)
            let loaded = try await setup.python.call("/server/load-keys", setup.buyer())
            #expect((loaded["epochs"] as? [Int])?.contains(3) == true)
        }
    }

    @Test func aSendInAnEpochMadeStaleIsEncryptedAgainWithTheNewestKey() async throws {
        try await Self.withSetup { setup, _ in
            let first = try await setup.seller.send(setup.conversationID, Self.sellerText)
            #expect(first.annotations.encrypted?.epoch == 1)
            // An assignee came and left: it held epoch 1, so the next key set raises the floor.
            let lead = try await setup.server.client("lead1", .support)
            _ = try await setup.server.client("agent7", .support).conversations()  // known once signed in
            _ = try await lead.setAssignee(setup.conversationID, "agent7")
            _ = try await lead.setAssignee(setup.conversationID, nil)
            #expect(try await lead.conversation(setup.conversationID).conversation.encryption?.rekeyRequired == true)
            let epoch = try await setup.python.call("/server/start-epoch", setup.buyer(["epoch": 2]))
            #expect(epoch["status"] as? Int == 201, "\(epoch)")

            // The seller still holds only epoch 1: the server refuses it (409 stale_epoch),
            // the session fetches epoch 2's key and sends again with it.
            #expect(await setup.seller.currentEpoch(setup.conversationID) == 1)
            let second = try await setup.seller.send(setup.conversationID, Self.laterText)
            #expect(second.annotations.encrypted?.epoch == 2)
            let read = try await setup.python.call("/server/read", setup.buyer())
            #expect((read["messages"] as? [[String: Any]])?.map { $0["content"] as? String } == [Self.sellerText, Self.laterText])
        }
    }

    @Test func aRetiredDevicesMessagesStillVerifyWhereItsKeysWereRemembered() async throws {
        try await Self.withSetup { setup, _ in
            let phone = E2EESession(
                userID: "seller1", identity: DeviceIdentity(deviceID: "seller-phone"), client: setup.seller.client)
            try await phone.register()
            #expect(Set(try await setup.seller.client.devices(ofUser: "seller1").map(\.deviceId)) == ["seller-tablet", "seller-phone"])
            // The buyer's next epoch reaches the new phone, which writes with it.
            let epoch = try await setup.python.call("/server/start-epoch", setup.buyer(["epoch": 2]))
            #expect((epoch["sealedTo"] as? [[String]])?.contains(["seller1", "seller-phone"]) == true)
            _ = try await phone.send(setup.conversationID, Self.sellerText)
            #expect(try await setup.seller.messages(setup.conversationID).map(\.content) == [Self.sellerText])

            try await phone.client.retireDevice("seller-phone")
            #expect(try await setup.seller.client.devices(ofUser: "seller1").map(\.deviceId) == ["seller-tablet"])
            // The tablet remembers the phone's keys: its message still verifies there.
            #expect(try await setup.seller.messages(setup.conversationID).map(\.content) == [Self.sellerText])
            // A device that never saw the phone cannot tell who wrote it, and says so.
            let laptop = E2EESession(userID: "seller1", identity: DeviceIdentity(deviceID: "seller-laptop"), client: setup.seller.client)
            let unseen = try await laptop.messages(setup.conversationID)
            #expect(unseen.count == 1)
            #expect(unseen.allSatisfy { if case .failure(.unknownDevice(_, "seller-phone")) = $0.result { true } else { false } })
        }
    }

    /// Whether `text` (UTF-8) is in the database, its write-ahead log or shared memory.
    @Test func keysListedUnderThisDevicesOwnIdAreNeverSealedToAndItsOwnMessagesStillVerify() async throws {
        try await Self.withSetup { setup, _ in
            _ = try await setup.seller.send(setup.conversationID, Self.sellerText)
            // The server (here: anyone holding the seller's token) lists other keys under the
            // tablet's own id, as a server would to receive every epoch key.
            let impostor = DeviceIdentity(deviceID: "seller-tablet")
            try await setup.seller.client.registerDevice(impostor)
            await #expect(throws: E2EEError.ownDeviceKeysReplaced(deviceID: "seller-tablet", listedSafetyNumber: impostor.safetyNumber)) {
                try await setup.seller.startEpoch(setup.conversationID)
            }
            #expect(try await setup.seller.client.conversation(setup.conversationID).conversation.encryption?.epoch == 1, "no epoch 2 was posted")
            // The tablet's own message verifies with its own key, not the listed one.
            #expect(try await setup.seller.messages(setup.conversationID).map(\.content) == [Self.sellerText])
            // A message signed by the impostor's key under the tablet's id does not.
            let forged = try MessageCipher.encrypt(
                MessagePlaintext(content: "forged"), epochKey: EpochKeySealer.newEpochKey(), conversationID: setup.conversationID, epoch: 1,
                senderID: "seller1", clientMessageID: "forged-1", identity: impostor)
            _ = try await setup.seller.client.send(setup.conversationID, SendMessageBody(encrypted: forged, clientMessageId: "forged-1"))
            let read = try await setup.seller.messages(setup.conversationID)
            #expect(read.count == 2)
            #expect(read.last?.result.failureValue == .badMessageSignature(messageID: read.last?.message.messageID))
        }
    }

    @Test func aSendWhileTheConversationNeedsANewKeyStartsTheNextEpochFirst() async throws {
        try await Self.withSetup { setup, _ in
            let lead = try await setup.server.client("lead1", .support)
            _ = try await setup.server.client("agent7", .support).conversations()  // known once signed in
            _ = try await lead.setAssignee(setup.conversationID, "agent7")
            _ = try await lead.setAssignee(setup.conversationID, nil)
            #expect(try await lead.conversation(setup.conversationID).conversation.encryption?.rekeyRequired == true)
            // The agent who left held epoch 1: the seller's send goes out in a new epoch 2.
            let sent = try await setup.seller.send(setup.conversationID, Self.sellerText)
            #expect(sent.annotations.encrypted?.epoch == 2)
            #expect(try await lead.conversation(setup.conversationID).conversation.encryption?.rekeyRequired == false)
            let read = try await setup.python.call("/server/read", setup.buyer())
            #expect((read["messages"] as? [[String: Any]])?.map { $0["content"] as? String } == [Self.sellerText])
            // A send with nothing to rekey stays in the current epoch.
            #expect(try await setup.seller.send(setup.conversationID, Self.laterText).annotations.encrypted?.epoch == 2)
        }
    }

    @Test func aBogusSharedKeyDoesNotHideALaterRightOneForTheSameEpoch() async throws {
        try await Self.withSetup { setup, _ in
            #expect(try await setup.python.call("/server/send", setup.buyer(["content": Self.buyerText, "clientMessageId": "py-1"]))["status"] as? Int == 201)
            let agent = E2EESession(
                userID: "agent7", identity: DeviceIdentity(deviceID: "agent7-desk"), client: try await setup.server.client("agent7", .support))
            try await agent.register()
            _ = try await setup.server.client("lead1", .support).setAssignee(setup.conversationID, "agent7")
            // A second seller device shares a key for epoch 1 that opens but encrypts nothing,
            // before the tablet shares the right one.
            let phone = E2EESession(userID: "seller1", identity: DeviceIdentity(deviceID: "seller-phone"), client: setup.seller.client)
            try await phone.register()
            let desk = try #require(try await phone.verifiedDevices(of: "agent7").first)
            let bogus = try EpochKeySealer.seal(EpochKeySealer.newEpochKey(), to: desk.encryptionKey, conversationID: setup.conversationID, epoch: 1)
            try await setup.seller.client.postEpochKeys(
                setup.conversationID,
                KeySetBody(epoch: 1, senderDeviceId: "seller-phone", sealed: [.init(userId: "agent7", deviceId: "agent7-desk", key: bogus.base64URLEncodedString())], share: true))
            #expect(try await agent.loadKeys(setup.conversationID) == [1])
            let blocked = try #require(try await agent.messages(setup.conversationID).first)
            #expect({ if case .failure(.openFailed) = blocked.result { true } else { false } }())

            // The tablet shares the right key (the server keeps the newest share per device
            // and epoch): the agent keeps both keys that opened and reads with the right one.
            _ = try await setup.seller.shareKeys(setup.conversationID, with: "agent7")
            #expect(try await agent.messages(setup.conversationID).map(\.content) == [Self.buyerText])
        }
    }

    static func holds(_ databasePath: String, _ text: String) throws -> Bool {
        ["", "-wal", "-shm"].contains { suffix in
            FileManager.default.contents(atPath: databasePath + suffix)?.range(of: Data(text.utf8)) != nil
        }
    }

    /// None of `texts` (UTF-8) in the database, its write-ahead log or shared memory.
    static func expectNoPlaintext(at databasePath: String, _ texts: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        var checked = 0
        for suffix in ["", "-wal", "-shm"] {
            guard let bytes = FileManager.default.contents(atPath: databasePath + suffix) else { continue }
            checked += 1
            for text in texts {
                #expect(bytes.range(of: Data(text.utf8)) == nil, "\"\(text)\" is readable in \(databasePath + suffix)", sourceLocation: sourceLocation)
            }
        }
        #expect(checked >= 1, "the database file exists", sourceLocation: sourceLocation)
    }
}

extension Result {
    /// The error of a failure, nil for a success.
    fileprivate var failureValue: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
