import Crypto
import Foundation
import ParleyClient
import ParleyCore
import ParleyMessaging
import Testing

/// End-to-end encryption through the real server with real cryptography (swift-crypto in
/// the test, from the contract): the device directory, epoch key sets, encrypted messages,
/// stale epochs, key shares on escalation, franking receipts and reports, and the
/// content features that stay off.
@Suite struct EncryptionAPITests {
    /// buyer1 and seller1 with a device each, an encrypted conversation between them and
    /// epoch 1 sealed to both devices.
    struct Fixture {
        var buyer: ParleyRESTClient
        var seller: ParleyRESTClient
        var buyerPhone: E2EETestDevice
        var sellerLaptop: E2EETestDevice
        var conversationID: String
        var epochKey: SymmetricKey
    }

    static func fixture(_ server: TestServer, orderID: String = "o1") async throws -> Fixture {
        let buyer = try await server.client("buyer1", .buyer)
        let seller = try await server.client("seller1", .seller)
        let buyerPhone = E2EETestDevice("buyer1", "phone")
        let sellerLaptop = E2EETestDevice("seller1", "laptop")
        #expect(try await buyerPhone.register(with: buyer).status == 201)
        #expect(try await sellerLaptop.register(with: seller).status == 201)
        let created = try await buyer.rawJSON(
            .POST, "/api/conversations",
            #"{"participants":[{"userId":"buyer1","role":"buyer"},{"userId":"seller1","role":"seller"}],"orderId":"\#(orderID)","encrypted":true}"#)
        try #require(created.status == 201, "\(created.bodyText)")
        let id = try #require(created.jsonObject["conversationId"] as? String)
        let key = SymmetricKey(size: .bits256)
        let keys = try await buyer.rawJSON(
            .POST, "/api/conversations/\(id)/keys",
            #"{"epoch":1,"senderDeviceId":"phone","sealed":[\#(try buyerPhone.sealedEntry(key, conversationID: id, epoch: 1)),\#(try sellerLaptop.sealedEntry(key, conversationID: id, epoch: 1))]}"#
        )
        try #require(keys.status == 201, "\(keys.bodyText)")
        return Fixture(
            buyer: buyer, seller: seller, buyerPhone: buyerPhone, sellerLaptop: sellerLaptop, conversationID: id, epochKey: key)
    }

    /// Asserts a refusal's status, code and the field its message names.
    static func expectRefused(
        _ response: ParleyRESTClient.RawResponse, _ status: Int, code: String? = nil, field: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == status, "\(response.bodyText)", sourceLocation: sourceLocation)
        if let code { #expect(response.error?.error.code == code, "\(response.bodyText)", sourceLocation: sourceLocation) }
        if let field {
            #expect(response.error?.error.message.hasPrefix(field + ":") == true, "\(response.bodyText)", sourceLocation: sourceLocation)
        }
    }

    // MARK: Devices

    @Test func devicesRegisterIdempotentlyReplaceAndRetire() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let device = E2EETestDevice("buyer1", "phone")
            #expect(try await device.register(with: buyer).status == 201)
            // The same keys again: 200, nothing changed; also with a new signature over them
            // (ECDSA signs with a fresh nonce).
            let again = try await device.register(with: buyer)
            #expect(again.status == 200)
            #expect(again.jsonObject["signingKey"] as? String == device.signingKey)
            let resigned = E2EETestDevice.b64(try device.signing.signature(for: device.agreement.publicKey.x963Representation).rawRepresentation)
            let resent = try await buyer.rawJSON(
                .PUT, "/api/devices/phone",
                #"{"signingKey":"\#(device.signingKey)","encryptionKey":"\#(device.encryptionKey)","signature":"\#(resigned)"}"#)
            #expect(resent.status == 200)
            #expect(resent.jsonObject["signature"] as? String == device.registrationSignature)
            // New keys for the same id replace the old ones.
            let replacement = E2EETestDevice("buyer1", "phone")
            #expect(try await replacement.register(with: buyer).status == 200)
            let list = try await buyer.raw(.GET, "/api/users/buyer1/devices")
            let devices = try #require(list.jsonObject["devices"] as? [[String: Any]])
            #expect(devices.count == 1)
            #expect(devices.first?["deviceId"] as? String == "phone")
            #expect(devices.first?["encryptionKey"] as? String == replacement.encryptionKey)
            #expect(devices.first?["signature"] as? String == replacement.registrationSignature)
            #expect(try await buyer.raw(.DELETE, "/api/devices/phone").status == 204)
            Self.expectRefused(try await buyer.raw(.DELETE, "/api/devices/phone"), 404)
            let empty = try await buyer.raw(.GET, "/api/users/buyer1/devices")
            #expect((empty.jsonObject["devices"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func badKeysAndSignaturesAreRefusedNamingTheField() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let device = E2EETestDevice("buyer1", "phone")
            let other = E2EETestDevice("buyer1", "other")
            func put(_ signingKey: String, _ encryptionKey: String, _ signature: String) async throws -> ParleyRESTClient.RawResponse {
                try await buyer.rawJSON(
                    .PUT, "/api/devices/phone",
                    #"{"signingKey":"\#(signingKey)","encryptionKey":"\#(encryptionKey)","signature":"\#(signature)"}"#)
            }
            // A point that is not on the curve: x and y of the generator with y changed.
            var offCurve = [UInt8](device.signing.publicKey.x963Representation)
            offCurve[64] ^= 1
            Self.expectRefused(try await put(E2EETestDevice.b64(offCurve), device.encryptionKey, device.registrationSignature), 400, field: "signingKey")
            Self.expectRefused(try await put(device.signingKey, E2EETestDevice.b64(offCurve), device.registrationSignature), 400, field: "encryptionKey")
            // Compressed (33 bytes), padded base64url, standard base64.
            let compressed = E2EETestDevice.b64(device.signing.publicKey.compressedRepresentation)
            Self.expectRefused(try await put(compressed, device.encryptionKey, device.registrationSignature), 400, field: "signingKey")
            Self.expectRefused(try await put(device.signingKey + "=", device.encryptionKey, device.registrationSignature), 400, field: "signingKey")
            let standard = Data(device.signing.publicKey.x963Representation).base64EncodedString()
            if standard.contains("+") || standard.contains("/") || standard.contains("=") {
                Self.expectRefused(try await put(standard, device.encryptionKey, device.registrationSignature), 400, field: "signingKey")
            }
            // A signature by another key, or over other bytes.
            Self.expectRefused(try await put(device.signingKey, device.encryptionKey, other.registrationSignature), 400, field: "signature")
            let overSigningKey = E2EETestDevice.b64(
                try device.signing.signature(for: device.signing.publicKey.x963Representation).rawRepresentation)
            Self.expectRefused(try await put(device.signingKey, device.encryptionKey, overSigningKey), 400, field: "signature")
            Self.expectRefused(try await put(device.signingKey, device.encryptionKey, "AAAA"), 400, field: "signature")
            // A device id over 128 bytes.
            Self.expectRefused(
                try await buyer.rawJSON(.PUT, "/api/devices/\(String(repeating: "d", count: 129))", device.registrationJSON), 400,
                field: "deviceId")
            #expect(try await device.register(with: buyer).status == 201)
        }
    }

    @Test func aUserHasAtMostTenDevices() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            for index in 0..<E2EELimits.maxDevicesPerUser {
                #expect(try await E2EETestDevice("buyer1", "d\(index)").register(with: buyer).status == 201)
            }
            Self.expectRefused(try await E2EETestDevice("buyer1", "one-more").register(with: buyer), 409, code: "conflict")
            // Replacing the keys of a registered device is not one more.
            #expect(try await E2EETestDevice("buyer1", "d0").register(with: buyer).status == 200)
            #expect(try await buyer.raw(.DELETE, "/api/devices/d1").status == 204)
            #expect(try await E2EETestDevice("buyer1", "one-more").register(with: buyer).status == 201)
        }
    }

    @Test func devicesAreListedToRelatedUsersSupportAndServiceOnly() async throws {
        try await TestServer.with { server in
            let fixture = try await Self.fixture(server)
            let stranger = try await server.client("stranger", .buyer)
            let support = try await server.client("agent1", .support)
            let service = try await server.client("backend", .service)
            #expect(try await fixture.seller.raw(.GET, "/api/users/buyer1/devices").status == 200)
            #expect(try await support.raw(.GET, "/api/users/buyer1/devices").status == 200)
            #expect(try await service.raw(.GET, "/api/users/buyer1/devices").status == 200)
            Self.expectRefused(try await stranger.raw(.GET, "/api/users/buyer1/devices"), 404, code: "not_found")
            // An unknown user reads the same as an unrelated one.
            Self.expectRefused(try await stranger.raw(.GET, "/api/users/nobody/devices"), 404, code: "not_found")
        }
    }

    @Test func registeringAndRetiringADeviceTellsRelatedUsers() async throws {
        try await TestServer.with { server in
            let fixture = try await Self.fixture(server)
            let events = try await server.realtime("seller1", .seller) { session in
                _ = try await session.next(where: { if case .pong = $0 { return true } else { return false } }, afterSending: .ping(id: .number(1)))
                #expect(try await E2EETestDevice("buyer1", "tablet").register(with: fixture.buyer).status == 201)
                let first = try await session.next(where: { if case .event(.devicesChanged) = $0 { return true } else { return false } })
                #expect(try await fixture.buyer.raw(.DELETE, "/api/devices/tablet").status == 204)
                let second = try await session.next(where: { if case .event(.devicesChanged) = $0 { return true } else { return false } })
                return [first, second]
            }
            for frame in events.value {
                guard case .event(.devicesChanged(let userID)) = frame else {
                    Issue.record("expected devices.changed, got \(frame)")
                    continue
                }
                #expect(userID == "buyer1")
            }
        }
    }

    // MARK: Conversations and messages

    @Test func anEncryptedConversationSaysSoAndStartsWithoutAMessage() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let withMessage = try await buyer.rawJSON(
                .POST, "/api/conversations",
                #"{"participants":[{"userId":"buyer1","role":"buyer"},{"userId":"seller1","role":"seller"}],"encrypted":true,"message":{"content":"hola"}}"#
            )
            Self.expectRefused(withMessage, 400, field: "message")
            let fixture = try await Self.fixture(server)
            let conversation = try await buyer.raw(.GET, "/api/conversations/\(fixture.conversationID)")
            #expect(conversation.jsonObject["encrypted"] as? Bool == true)
            // A plain thread between the same people about the same order is another thread,
            // and says nothing about encryption.
            let plain = try await buyer.createThread(orderID: "o1")
            #expect(plain.conversation.conversationID != fixture.conversationID)
            let plainJSON = try await buyer.raw(.GET, "/api/conversations/\(plain.conversation.conversationID)")
            #expect(plainJSON.jsonObject["encrypted"] == nil)
        }
    }

    @Test func encryptedMessagesAreStoredAndRelayedAsSentWithAReceipt() async throws {
        let auditKey = Curve25519.Signing.PrivateKey()
        var options = TestServer.Options()
        options.auditKey = auditKey
        try await TestServer.with(options: options) { server in
            let fixture = try await Self.fixture(server)
            let id = fixture.conversationID
            let frankingKey = [UInt8](repeating: 7, count: 32)
            let sealed = try fixture.buyerPhone.encrypt(
                "¿Cuándo llega el envío?", key: fixture.epochKey, conversationID: id, epoch: 1, clientMessageID: "c1",
                franking: frankingKey)
            let frames = try await server.realtime("seller1", .seller) { session in
                _ = try await session.next(where: { if case .pong = $0 { return true } else { return false } }, afterSending: .ping(id: .number(1)))
                let sent = try await fixture.buyer.rawJSON(
                    .POST, "/api/conversations/\(id)/messages", E2EETestDevice.sendJSON(sealed, clientMessageID: "c1"))
                #expect(sent.status == 201, "\(sent.bodyText)")
                let message = sent.jsonObject
                #expect(message["content"] as? String == "")
                let envelope = try #require(message["encrypted"] as? [String: Any])
                #expect(envelope["iv"] as? String == sealed.iv)
                #expect(envelope["ciphertext"] as? String == sealed.ciphertext)
                #expect(envelope["signature"] as? String == sealed.signature)
                #expect(envelope["deviceId"] as? String == "phone")
                #expect(envelope["epoch"] as? Int == 1)
                #expect(message["commitment"] as? String == sealed.commitment)
                // The receipt: Ed25519 by the audit key (as GET /api/audit/key publishes it)
                // over the contract's text.
                let receipt = try #require(message["receipt"] as? String)
                let text = "\(id)|\(message["messageId"] as! String)|buyer1|\(message["timestamp"] as! String)|\(sealed.commitment!)"
                let published = try await fixture.seller.raw(.GET, "/api/audit/key")
                let publishedKey = try #require((published.jsonObject["publicKey"] as? String).flatMap { Data(base64Encoded: $0) })
                #expect(publishedKey == auditKey.publicKey.rawRepresentation)
                let publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: publishedKey)
                #expect(publicKey.isValidSignature(E2EETestDevice.bytes(receipt), for: Data(text.utf8)))
                // Nothing read the content: no sentiment, no masking.
                #expect(message["sentiment"] == nil && message["masked"] == nil)
                // The same clientMessageId again: the first message.
                let retry = try await fixture.buyer.rawJSON(
                    .POST, "/api/conversations/\(id)/messages", E2EETestDevice.sendJSON(sealed, clientMessageID: "c1"))
                #expect(retry.status == 200)
                #expect(retry.jsonObject["messageId"] as? String == message["messageId"] as? String)
                return try await session.next(where: { if case .event(.messageNew) = $0 { return true } else { return false } })
            }
            guard case .event(.messageNew(let relayed, _)) = frames.value else {
                Issue.record("no message.new")
                return
            }
            #expect(relayed.content == "" && relayed.annotations.encrypted?.ciphertext == sealed.ciphertext)
            // The seller's device opens it with the key sealed to it.
            let keys = try await fixture.seller.raw(.GET, "/api/conversations/\(id)/keys?deviceId=laptop")
            let entry = try #require((keys.jsonObject["keys"] as? [[String: Any]])?.first)
            #expect(entry["epoch"] as? Int == 1 && entry["senderDeviceId"] as? String == "phone")
            let key = try fixture.sellerLaptop.open(entry["key"] as! String, conversationID: id, epoch: 1)
            let page = try await fixture.seller.raw(.GET, "/api/conversations/\(id)/messages")
            let stored = try #require((page.jsonObject["messages"] as? [[String: Any]])?.first)
            let content = try E2EETestDevice.decrypt(
                stored["encrypted"] as! [String: Any], key: key, conversationID: id, senderID: "buyer1", clientMessageID: "c1")
            #expect(content == "¿Cuándo llega el envío?")
        }
    }

    @Test func encryptedAndPlainBodiesAreRefusedWhereTheyDoNotBelong() async throws {
        try await TestServer.with { server in
            let fixture = try await Self.fixture(server)
            let id = fixture.conversationID
            let path = "/api/conversations/\(id)/messages"
            func sealed(_ epoch: Int64 = 1, clientMessageID: String = "c1", device: E2EETestDevice? = nil, signer: P256.Signing.PrivateKey? = nil)
                throws -> E2EETestDevice.Sealed
            {
                try (device ?? fixture.buyerPhone).encrypt(
                    "hola", key: fixture.epochKey, conversationID: id, epoch: epoch, clientMessageID: clientMessageID, signWith: signer)
            }
            // Plain content in an encrypted conversation, over REST and WebSocket.
            Self.expectRefused(try await fixture.buyer.rawJSON(.POST, path, #"{"content":"hola"}"#), 400, field: "content")
            // No clientMessageId; content beside the ciphertext.
            let good = try sealed()
            Self.expectRefused(
                try await fixture.buyer.rawJSON(.POST, path, #"{"type":"text","encrypted":\#(good.envelopeJSON)}"#), 400,
                field: "clientMessageId")
            Self.expectRefused(
                try await fixture.buyer.rawJSON(
                    .POST, path, #"{"type":"text","content":"hola","encrypted":\#(good.envelopeJSON),"clientMessageId":"c1"}"#),
                400, field: "content")
            // Signed by another key, for another clientMessageId, from an unregistered device.
            Self.expectRefused(
                try await fixture.buyer.rawJSON(
                    .POST, path, E2EETestDevice.sendJSON(try sealed(signer: P256.Signing.PrivateKey()), clientMessageID: "c1")),
                400, field: "encrypted.signature")
            Self.expectRefused(
                try await fixture.buyer.rawJSON(.POST, path, E2EETestDevice.sendJSON(good, clientMessageID: "c2")), 400,
                field: "encrypted.signature")
            let unregistered = E2EETestDevice("buyer1", "ghost")
            Self.expectRefused(
                try await fixture.buyer.rawJSON(.POST, path, E2EETestDevice.sendJSON(try sealed(device: unregistered), clientMessageID: "c1")),
                400, field: "encrypted.deviceId")
            // The seller cannot send with the buyer's device.
            Self.expectRefused(
                try await fixture.seller.rawJSON(.POST, path, E2EETestDevice.sendJSON(good, clientMessageID: "c1")), 400,
                field: "encrypted.deviceId")
            // An epoch without a key set.
            Self.expectRefused(
                try await fixture.buyer.rawJSON(.POST, path, E2EETestDevice.sendJSON(try sealed(2), clientMessageID: "c1")), 400,
                field: "encrypted.epoch")
            // Sizes: a short iv, a ciphertext shorter than the tag, padded base64url.
            let shortIV = good.envelopeJSON.replacingOccurrences(of: good.iv, with: "AAAAAAAAAAAA")
            Self.expectRefused(
                try await fixture.buyer.rawJSON(.POST, path, #"{"type":"text","encrypted":\#(shortIV),"clientMessageId":"c1"}"#), 400,
                field: "encrypted.iv")
            let shortCiphertext = good.envelopeJSON.replacingOccurrences(of: good.ciphertext, with: "AAAA")
            Self.expectRefused(
                try await fixture.buyer.rawJSON(.POST, path, #"{"type":"text","encrypted":\#(shortCiphertext),"clientMessageId":"c1"}"#),
                400, field: "encrypted.ciphertext")
            let padded = good.envelopeJSON.replacingOccurrences(of: good.iv, with: good.iv + "==")
            Self.expectRefused(
                try await fixture.buyer.rawJSON(.POST, path, #"{"type":"text","encrypted":\#(padded),"clientMessageId":"c1"}"#), 400,
                field: "encrypted.iv")
            // Ciphertext in a plain conversation.
            let plain = try await fixture.buyer.createThread(orderID: "plain").conversation.conversationID
            Self.expectRefused(
                try await fixture.buyer.rawJSON(
                    .POST, "/api/conversations/\(plain)/messages", E2EETestDevice.sendJSON(good, clientMessageID: "c1")), 400,
                field: "encrypted")
            // An outsider learns nothing: 404.
            let stranger = try await server.client("stranger", .buyer)
            Self.expectRefused(try await stranger.rawJSON(.POST, path, E2EETestDevice.sendJSON(good, clientMessageID: "c1")), 404)
            // Nothing of the above was stored.
            let page = try await fixture.buyer.raw(.GET, path)
            #expect((page.jsonObject["messages"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func messageSendOverWebSocketFollowsTheSameRules() async throws {
        try await TestServer.with { server in
            let fixture = try await Self.fixture(server)
            let id = fixture.conversationID
            let sealed = try fixture.buyerPhone.encrypt(
                "por socket", key: fixture.epochKey, conversationID: id, epoch: 1, clientMessageID: "ws1")
            let frames = try await server.realtime("buyer1", .buyer) { session in
                try await session.sendRaw(#"{"type":"message.send","id":1,"conversationId":"\#(id)","content":"hola"}"#)
                let refused = try await session.next(where: { if case .error = $0 { return true } else { return false } })
                try await session.sendRaw(
                    #"{"type":"message.send","id":2,"conversationId":"\#(id)","encrypted":\#(sealed.envelopeJSON),"clientMessageId":"ws1"}"#)
                let ack = try await session.next(where: { if case .ack = $0 { return true } else { return false } })
                return (refused, ack)
            }
            let (refused, ack) = frames.value
            guard case .error(_, let error) = refused, case .ack(_, let message) = ack else {
                Issue.record("expected an error and an ack, got \(refused), \(ack)")
                return
            }
            #expect(error.code == "invalid_request" && error.message.hasPrefix("content:"))
            #expect(message.content == "" && message.annotations.encrypted?.signature == sealed.signature)
        }
    }

    // MARK: Epoch keys

    @Test func keySetsFollowTheEpochRules() async throws {
        try await TestServer.with { server in
            let fixture = try await Self.fixture(server)
            let id = fixture.conversationID
            let path = "/api/conversations/\(id)/keys"
            let key = SymmetricKey(size: .bits256)
            let buyerEntry = { (epoch: Int64) in try fixture.buyerPhone.sealedEntry(key, conversationID: id, epoch: epoch) }
            func post(_ epoch: Int64, _ entries: [String], sender: String = "phone", share: Bool = false, as client: ParleyRESTClient? = nil)
                async throws -> ParleyRESTClient.RawResponse
            {
                try await (client ?? fixture.buyer).rawJSON(
                    .POST, path,
                    #"{"epoch":\#(epoch),"senderDeviceId":"\#(sender)","sealed":[\#(entries.joined(separator: ","))]\#(share ? #","share":true"# : "")}"#)
            }
            // Epoch 1 exists (the fixture's): a second start of it is stale; a gap is bad input.
            Self.expectRefused(try await post(1, [try buyerEntry(1)]), 409, code: "stale_epoch")
            Self.expectRefused(try await post(3, [try buyerEntry(3)]), 400, field: "epoch")
            // The sender's device must be its own; every recipient a registered device of a participant.
            Self.expectRefused(try await post(2, [try buyerEntry(2)], sender: "laptop"), 400, field: "senderDeviceId")
            let ghost = #"{"userId":"seller1","deviceId":"ghost","key":"AAAA"}"#
            Self.expectRefused(try await post(2, [ghost]), 400, field: "sealed[0].deviceId")
            let outsiderDevice = E2EETestDevice("stranger", "s1")
            let stranger = try await server.client("stranger", .buyer)
            #expect(try await outsiderDevice.register(with: stranger).status == 201)
            Self.expectRefused(
                try await post(2, [try outsiderDevice.sealedEntry(key, conversationID: id, epoch: 2)]), 400, field: "sealed[0].userId")
            let huge = #"{"userId":"buyer1","deviceId":"phone","key":"\#(E2EETestDevice.b64([UInt8](repeating: 1, count: 300)))"}"#
            Self.expectRefused(try await post(2, [huge]), 400, field: "sealed[0].key")
            Self.expectRefused(try await post(2, []), 400, field: "sealed")
            Self.expectRefused(try await post(2, [try buyerEntry(2), try buyerEntry(2)]), 400, field: "sealed[1]")
            // Outsiders see nothing; support who takes no part may not start epochs.
            Self.expectRefused(try await post(2, [try buyerEntry(2)], as: stranger), 404)
            let support = try await server.client("agent1", .support)
            Self.expectRefused(try await post(2, [try buyerEntry(2)], as: support), 403)
            Self.expectRefused(try await support.raw(.GET, "\(path)?deviceId=phone"), 403)
            // Epoch 2, then its key reaches only the devices it was sealed to.
            let stored = try await post(2, [try buyerEntry(2)])
            #expect(stored.status == 201, "\(stored.bodyText)")
            #expect((stored.jsonObject["e2ee"] as? [String: Any])?["epoch"] as? Int == 2)
            let buyerKeys = try await fixture.buyer.raw(.GET, "\(path)?deviceId=phone")
            #expect((buyerKeys.jsonObject["keys"] as? [[String: Any]])?.map { $0["epoch"] as? Int } == [1, 2])
            let sellerKeys = try await fixture.seller.raw(.GET, "\(path)?deviceId=laptop")
            #expect((sellerKeys.jsonObject["keys"] as? [[String: Any]])?.map { $0["epoch"] as? Int } == [1])
            // A device that is not the caller's, and no device at all.
            Self.expectRefused(try await fixture.seller.raw(.GET, "\(path)?deviceId=phone"), 400, field: "deviceId")
            Self.expectRefused(try await fixture.seller.raw(.GET, path), 400, field: "deviceId")
            let conversation = try await fixture.buyer.raw(.GET, "/api/conversations/\(id)")
            #expect((conversation.jsonObject["e2ee"] as? [String: Any])?["epoch"] as? Int == 2)
        }
    }

    @Test func escalationSharesKeysWithTheAgentAndALeavingAgentMakesOldEpochsStale() async throws {
        try await TestServer.with { server in
            let fixture = try await Self.fixture(server)
            let id = fixture.conversationID
            let support = try await server.client("agent1", .support)
            let agentDevice = E2EETestDevice("agent1", "desk")
            #expect(try await agentDevice.register(with: support).status == 201)
            let share = #"{"epoch":1,"senderDeviceId":"phone","share":true,"sealed":[\#(try agentDevice.sealedEntry(fixture.epochKey, conversationID: id, epoch: 1))]}"#
            // Before the assignment there is nobody to share with.
            Self.expectRefused(try await fixture.buyer.rawJSON(.POST, "/api/conversations/\(id)/keys", share), 400, field: "share")
            _ = try await support.setAssignee(id, "agent1")
            // The participant sees the agent's devices now that they share the conversation.
            #expect(try await fixture.buyer.raw(.GET, "/api/users/agent1/devices").status == 200)
            // A share goes to the assignee's devices only, of an existing epoch.
            let toSeller = #"{"epoch":1,"senderDeviceId":"phone","share":true,"sealed":[\#(try fixture.sellerLaptop.sealedEntry(fixture.epochKey, conversationID: id, epoch: 1))]}"#
            Self.expectRefused(try await fixture.buyer.rawJSON(.POST, "/api/conversations/\(id)/keys", toSeller), 400, field: "sealed[0].userId")
            let future = share.replacingOccurrences(of: #""epoch":1"#, with: #""epoch":5"#)
            Self.expectRefused(try await fixture.buyer.rawJSON(.POST, "/api/conversations/\(id)/keys", future), 400, field: "epoch")
            // The agent may not share for itself.
            Self.expectRefused(
                try await support.rawJSON(.POST, "/api/conversations/\(id)/keys", share.replacingOccurrences(of: "phone", with: "desk")), 403)
            #expect(try await fixture.buyer.rawJSON(.POST, "/api/conversations/\(id)/keys", share).status == 201)
            // The agent reads the history with the shared key.
            let sealed = try fixture.buyerPhone.encrypt("ayuda", key: fixture.epochKey, conversationID: id, epoch: 1, clientMessageID: "m1")
            #expect(
                try await fixture.buyer.rawJSON(.POST, "/api/conversations/\(id)/messages", E2EETestDevice.sendJSON(sealed, clientMessageID: "m1"))
                    .status == 201)
            let agentKeys = try await support.raw(.GET, "/api/conversations/\(id)/keys?deviceId=desk")
            let entry = try #require((agentKeys.jsonObject["keys"] as? [[String: Any]])?.first)
            let key = try agentDevice.open(entry["key"] as! String, conversationID: id, epoch: 1)
            let page = try await support.raw(.GET, "/api/conversations/\(id)/messages")
            let message = try #require((page.jsonObject["messages"] as? [[String: Any]])?.first)
            #expect(
                try E2EETestDevice.decrypt(message["encrypted"] as! [String: Any], key: key, conversationID: id, senderID: "buyer1", clientMessageID: "m1")
                    == "ayuda")
            // The agent leaves: a rekey is due; until it comes epoch 1 still works.
            _ = try await support.setAssignee(id, nil)
            let after = try await fixture.buyer.raw(.GET, "/api/conversations/\(id)")
            #expect((after.jsonObject["e2ee"] as? [String: Any])?["rekeyRequired"] as? Bool == true)
            let stillOne = try fixture.buyerPhone.encrypt("uno", key: fixture.epochKey, conversationID: id, epoch: 1, clientMessageID: "m2")
            #expect(
                try await fixture.buyer.rawJSON(.POST, "/api/conversations/\(id)/messages", E2EETestDevice.sendJSON(stillOne, clientMessageID: "m2"))
                    .status == 201)
            // Epoch 2 sealed to the participants only raises the floor: epoch 1 is stale.
            let newKey = SymmetricKey(size: .bits256)
            let rekey = #"{"epoch":2,"senderDeviceId":"phone","sealed":[\#(try fixture.buyerPhone.sealedEntry(newKey, conversationID: id, epoch: 2)),\#(try fixture.sellerLaptop.sealedEntry(newKey, conversationID: id, epoch: 2))]}"#
            let rekeyed = try await fixture.buyer.rawJSON(.POST, "/api/conversations/\(id)/keys", rekey)
            #expect(rekeyed.status == 201)
            let state = try #require(rekeyed.jsonObject["e2ee"] as? [String: Any])
            #expect(state["floor"] as? Int == 2 && state["rekeyRequired"] as? Bool == false)
            let stale = try fixture.sellerLaptop.encrypt("viejo", key: fixture.epochKey, conversationID: id, epoch: 1, clientMessageID: "m3")
            Self.expectRefused(
                try await fixture.seller.rawJSON(.POST, "/api/conversations/\(id)/messages", E2EETestDevice.sendJSON(stale, clientMessageID: "m3")),
                409, code: "stale_epoch")
            let fresh = try fixture.sellerLaptop.encrypt("nuevo", key: newKey, conversationID: id, epoch: 2, clientMessageID: "m3")
            #expect(
                try await fixture.seller.rawJSON(.POST, "/api/conversations/\(id)/messages", E2EETestDevice.sendJSON(fresh, clientMessageID: "m3"))
                    .status == 201)
        }
    }

    // MARK: Reports

    @Test func aRecipientReportsAFrankedMessageAndSupportSeesIt() async throws {
        try await TestServer.with { server in
            let fixture = try await Self.fixture(server)
            let id = fixture.conversationID
            let frankingKey = (0..<32).map { UInt8($0) }
            let text = "paga fuera de la plataforma"
            let sealed = try fixture.buyerPhone.encrypt(
                text, key: fixture.epochKey, conversationID: id, epoch: 1, clientMessageID: "r1", franking: frankingKey)
            let sent = try await fixture.buyer.rawJSON(.POST, "/api/conversations/\(id)/messages", E2EETestDevice.sendJSON(sealed, clientMessageID: "r1"))
            let messageID = try #require(sent.jsonObject["messageId"] as? String)
            let path = "/api/conversations/\(id)/messages/\(messageID)/report"
            let franking = E2EETestDevice.b64(frankingKey)
            // Another text, another key, a malformed key: the commitment does not open.
            Self.expectRefused(
                try await fixture.seller.rawJSON(.POST, path, #"{"content":"otra cosa","franking":"\#(franking)"}"#), 400, field: "franking")
            Self.expectRefused(
                try await fixture.seller.rawJSON(
                    .POST, path, #"{"content":"\#(text)","franking":"\#(E2EETestDevice.b64([UInt8](repeating: 9, count: 32)))"}"#),
                400, field: "franking")
            Self.expectRefused(try await fixture.seller.rawJSON(.POST, path, #"{"content":"\#(text)","franking":"AAAA"}"#), 400, field: "franking")
            // The sender does not report itself; outsiders see nothing; support takes no part.
            Self.expectRefused(try await fixture.buyer.rawJSON(.POST, path, #"{"content":"\#(text)","franking":"\#(franking)"}"#), 403)
            let stranger = try await server.client("stranger", .buyer)
            Self.expectRefused(try await stranger.rawJSON(.POST, path, #"{"content":"\#(text)","franking":"\#(franking)"}"#), 404)
            let report = try await fixture.seller.rawJSON(.POST, path, #"{"content":"\#(text)","franking":"\#(franking)"}"#)
            #expect(report.status == 201, "\(report.bodyText)")
            Self.expectRefused(try await fixture.seller.rawJSON(.POST, path, #"{"content":"\#(text)","franking":"\#(franking)"}"#), 409)
            // Support and service read reports; others may not.
            let support = try await server.client("agent1", .support)
            let list = try await support.raw(.GET, "/api/reports")
            let entry = try #require((list.jsonObject["reports"] as? [[String: Any]])?.first)
            #expect(entry["content"] as? String == text)
            #expect(entry["senderId"] as? String == "buyer1" && entry["reporterId"] as? String == "seller1")
            #expect(entry["messageId"] as? String == messageID && entry["conversationId"] as? String == id)
            #expect(entry["time"] is String)
            Self.expectRefused(try await fixture.seller.raw(.GET, "/api/reports"), 403)
            // A message without a commitment cannot be reported.
            let unfranked = try fixture.buyerPhone.encrypt("hola", key: fixture.epochKey, conversationID: id, epoch: 1, clientMessageID: "r2")
            let plainSent = try await fixture.buyer.rawJSON(
                .POST, "/api/conversations/\(id)/messages", E2EETestDevice.sendJSON(unfranked, clientMessageID: "r2"))
            let plainID = try #require(plainSent.jsonObject["messageId"] as? String)
            Self.expectRefused(
                try await fixture.seller.rawJSON(
                    .POST, "/api/conversations/\(id)/messages/\(plainID)/report", #"{"content":"hola","franking":"\#(franking)"}"#),
                400, field: "messageId")
        }
    }

    // MARK: Content features

    @Test func contentFeaturesSkipEncryptedConversations() async throws {
        try await TestServer.with { server in
            let fixture = try await Self.fixture(server)
            let id = fixture.conversationID
            // The seller's FAQ answers this question by itself in a plain conversation.
            _ = try await fixture.seller.createFAQEntry(.init(question: "¿Cuándo llega el envío?", answer: "En 2 días laborables."))
            // A buyer question that would get an automatic answer, suggestions, sentiment and
            // masking in the clear.
            let sealed = try fixture.buyerPhone.encrypt(
                "¿Cuándo llega el envío? esto es una estafa horrible, llamadme al 612 345 678", key: fixture.epochKey,
                conversationID: id, epoch: 1, clientMessageID: "q1")
            let sent = try await fixture.buyer.rawJSON(
                .POST, "/api/conversations/\(id)/messages", E2EETestDevice.sendJSON(sealed, clientMessageID: "q1"))
            #expect(sent.status == 201)
            // The same question in a plain thread, after it: once its automatic answer came,
            // the encrypted one (offered first, if it were) would have had its own.
            let plain = try await fixture.buyer.createThread(orderID: "plain").conversation.conversationID
            let question = try await fixture.buyer.send(plain, .init(content: "¿Cuándo llega el envío?"))
            let answer = try await AssistAPITests.nextMessage(after: question.seq, in: plain, as: fixture.buyer)
            #expect(answer.senderID == Principal.assistantID)
            let encryptedPage = try await fixture.buyer.raw(.GET, "/api/conversations/\(id)/messages")
            #expect((encryptedPage.jsonObject["messages"] as? [Any])?.count == 1, "no automatic answer in the encrypted conversation")
            let suggestions = try await fixture.seller.raw(.GET, "/api/conversations/\(id)/suggestions")
            #expect(suggestions.status == 200)
            #expect(suggestions.jsonObject["forMessageId"] is NSNull)
            #expect((suggestions.jsonObject["suggestions"] as? [Any])?.isEmpty == true)
            // The seller would see a sentiment; there is none, no masking, no escalation.
            let page = try await fixture.seller.raw(.GET, "/api/conversations/\(id)/messages")
            let message = try #require((page.jsonObject["messages"] as? [[String: Any]])?.first)
            #expect(message["sentiment"] == nil && message["masked"] == nil && message["originalContent"] == nil)
            let conversation = try await fixture.seller.raw(.GET, "/api/conversations/\(id)")
            #expect((conversation.jsonObject["metadata"] as? [String: Any])?["escalation"] == nil)
            // Search finds nothing of it, not even the ciphertext's text.
            let search = try await fixture.buyer.raw(.GET, "/api/search?q=\(sealed.ciphertext.prefix(12))")
            #expect((search.jsonObject["results"] as? [Any])?.isEmpty == true)
        }
    }
}

extension RealtimeSession {
    /// Sends `frame`, then waits for the first frame that `predicate` accepts.
    func next(where predicate: (ServerFrame) -> Bool, afterSending frame: ClientFrame) async throws -> ServerFrame {
        try await send(frame)
        return try await next(where: predicate)
    }
}
