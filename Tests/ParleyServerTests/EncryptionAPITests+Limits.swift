import Crypto
import Foundation
import ParleyClient
import ParleyCore
import Testing

/// End-to-end encryption's bounds and loose ends through the real server: what one user
/// may repeat, what the signed additional data may hold, the assignee's keys in the audit
/// log, and the bodies that have no place in an encrypted conversation.
extension EncryptionAPITests {
    /// The leaves of the conversation's audit log, as support reads them.
    static func auditLeaves(_ server: TestServer, _ conversationID: String) async throws -> [String] {
        let lead = try await server.client("lead1", .support)
        let answer = try await lead.raw(.GET, "/api/audit/entries?conversationId=\(conversationID)&limit=1000")
        try #require(answer.status == 200, "\(answer.bodyText)")
        let body = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
        return (body?["entries"] as? [[String: Any]] ?? []).compactMap { $0["leaf"] as? String }
    }

    static func keysSharedLeaves(_ leaves: [String]) -> [[String: Any]] {
        leaves.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["action"] as? String == AuditAction.keysShared.rawValue }
    }

    @Test func aNewEpochSealedToTheAssigneeIsAuditedAndARepeatedShareWritesNothing() async throws {
        try await TestServer.with { server in
            let fixture = try await Self.fixture(server)
            let id = fixture.conversationID
            let path = "/api/conversations/\(id)/keys"
            let support = try await server.client("agent1", .support)
            let desk = E2EETestDevice("agent1", "desk")
            #expect(try await desk.register(with: support).status == 201)
            _ = try await support.setAssignee(id, "agent1")
            // The share of epoch 1, then the same body again: one leaf, the same key.
            let share = #"{"epoch":1,"senderDeviceId":"phone","share":true,"sealed":[\#(try desk.sealedEntry(fixture.epochKey, conversationID: id, epoch: 1))]}"#
            #expect(try await fixture.buyer.rawJSON(.POST, path, share).status == 201)
            let firstKeys = try await support.raw(.GET, "\(path)?deviceId=desk").jsonObject["keys"] as? [[String: Any]]
            #expect(try await fixture.buyer.rawJSON(.POST, path, share).status == 201)
            let secondKeys = try await support.raw(.GET, "\(path)?deviceId=desk").jsonObject["keys"] as? [[String: Any]]
            #expect(firstKeys?.count == 1)
            #expect(secondKeys?.count == 1 && secondKeys?.first?["key"] as? String == firstKeys?.first?["key"] as? String)
            var shared = Self.keysSharedLeaves(try await Self.auditLeaves(server, id))
            #expect(shared.count == 1, "\(shared)")
            // Epoch 2 sealed to both participants and the assignee: a leaf naming the assignee's devices.
            let key = SymmetricKey(size: .bits256)
            let entries = [
                try fixture.buyerPhone.sealedEntry(key, conversationID: id, epoch: 2),
                try fixture.sellerLaptop.sealedEntry(key, conversationID: id, epoch: 2), try desk.sealedEntry(key, conversationID: id, epoch: 2),
            ]
            let stored = try await fixture.buyer.rawJSON(
                .POST, path, #"{"epoch":2,"senderDeviceId":"phone","sealed":[\#(entries.joined(separator: ","))]}"#)
            #expect(stored.status == 201, "\(stored.bodyText)")
            shared = Self.keysSharedLeaves(try await Self.auditLeaves(server, id))
            #expect(shared.count == 2, "\(shared)")
            let details = try #require(shared.last?["details"] as? [String: Any])
            #expect(details["newEpoch"] as? Bool == true)
            #expect(details["epoch"] as? Int == 2)
            #expect(details["recipientUserId"] as? String == "agent1")
            #expect(details["recipientDeviceIds"] as? [String] == ["desk"])
            #expect(details["senderDeviceId"] as? String == "phone")
            // Epoch 3 sealed to the participants only: no such leaf.
            let onlyParticipants = [
                try fixture.buyerPhone.sealedEntry(key, conversationID: id, epoch: 3),
                try fixture.sellerLaptop.sealedEntry(key, conversationID: id, epoch: 3),
            ]
            #expect(
                try await fixture.buyer.rawJSON(
                    .POST, path, #"{"epoch":3,"senderDeviceId":"phone","sealed":[\#(onlyParticipants.joined(separator: ","))]}"#
                ).status == 201)
            #expect(Self.keysSharedLeaves(try await Self.auditLeaves(server, id)).count == 2)
            // A device that holds the older keys fetches only the new ones.
            let newer = try await fixture.buyer.raw(.GET, "\(path)?deviceId=phone&afterEpoch=1")
            #expect((newer.jsonObject["keys"] as? [[String: Any]])?.map { $0["epoch"] as? Int } == [2, 3], "\(newer.bodyText)")
            Self.expectRefused(try await fixture.buyer.raw(.GET, "\(path)?deviceId=phone&afterEpoch=-1"), 400, field: "afterEpoch")
            Self.expectRefused(try await fixture.buyer.raw(.GET, "\(path)?deviceId=phone&afterEpoch=x"), 400, field: "afterEpoch")
        }
    }

    @Test func recipientsAreCheckedForMembershipBeforeTheirDevices() async throws {
        try await TestServer.with { server in
            let fixture = try await Self.fixture(server)
            let id = fixture.conversationID
            let stranger = try await server.client("stranger", .buyer)
            #expect(try await E2EETestDevice("stranger", "known").register(with: stranger).status == 201)
            // A registered and an unregistered device of an outsider answer the same.
            for device in ["known", "unknown"] {
                let body = #"{"epoch":2,"senderDeviceId":"phone","sealed":[{"userId":"stranger","deviceId":"\#(device)","key":"AAAA"}]}"#
                let answer = try await fixture.buyer.rawJSON(.POST, "/api/conversations/\(id)/keys", body)
                Self.expectRefused(answer, 400, field: "sealed[0].userId")
                #expect(answer.error?.error.message.contains("not a participant or the assignee") == true, "\(answer.bodyText)")
            }
        }
    }

    @Test func deviceChangesAreLimitedPerUser() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            var current = E2EETestDevice("buyer1", "phone")
            #expect(try await current.register(with: buyer).status == 201)
            for _ in 1..<E2EELimits.maxDeviceChangesPerHour {
                current = E2EETestDevice("buyer1", "phone")
                #expect(try await current.register(with: buyer).status == 200)
            }
            let refused = try await E2EETestDevice("buyer1", "phone").register(with: buyer)
            Self.expectRefused(refused, 429, code: "rate_limited")
            #expect(Int(refused.header("Retry-After") ?? "") ?? 0 >= 1)
            Self.expectRefused(try await buyer.raw(.DELETE, "/api/devices/phone"), 429, code: "rate_limited")
            // The same keys again change nothing, so cost nothing.
            #expect(try await current.register(with: buyer).status == 200)
            // Per user: another is not held back.
            let seller = try await server.client("seller1", .seller)
            #expect(try await E2EETestDevice("seller1", "laptop").register(with: seller).status == 201)
        }
    }

    @Test func theSignedFieldsRefuseTheirSeparator() async throws {
        try await TestServer.with { server in
            let fixture = try await Self.fixture(server)
            let id = fixture.conversationID
            let piped = try await fixture.buyer.rawJSON(.PUT, "/api/devices/a%7Cb", fixture.buyerPhone.registrationJSON)
            Self.expectRefused(piped, 400, field: "deviceId")
            let sealed = try fixture.buyerPhone.encrypt("hola", key: fixture.epochKey, conversationID: id, epoch: 1, clientMessageID: "c|1")
            Self.expectRefused(
                try await fixture.buyer.rawJSON(.POST, "/api/conversations/\(id)/messages", E2EETestDevice.sendJSON(sealed, clientMessageID: "c|1")),
                400, field: "clientMessageId")
            // In a plain conversation a client message id keeps every character it had.
            let plain = try await fixture.buyer.rawJSON(
                .POST, "/api/conversations",
                #"{"participants":[{"userId":"buyer1","role":"buyer"},{"userId":"seller1","role":"seller"}],"orderId":"plain","message":{"content":"hola","clientMessageId":"c|1"}}"#
            )
            #expect(plain.status == 201, "\(plain.bodyText)")
        }
    }

    @Test func ciphertextAndUploadsAreRefusedWhereTheyCannotBeSent() async throws {
        try await TestServer.with { server in
            let fixture = try await Self.fixture(server)
            let id = fixture.conversationID
            // Ciphertext as a plain conversation's first message.
            let sealed = try fixture.buyerPhone.encrypt("hola", key: fixture.epochKey, conversationID: id, epoch: 1, clientMessageID: "c1")
            let created = try await fixture.buyer.rawJSON(
                .POST, "/api/conversations",
                #"{"participants":[{"userId":"buyer1","role":"buyer"},{"userId":"seller1","role":"seller"}],"orderId":"o2","message":\#(E2EETestDevice.sendJSON(sealed, clientMessageID: "c1"))}"#
            )
            Self.expectRefused(created, 400, field: "message.encrypted")
            // An upload into an encrypted conversation.
            let upload = try await fixture.buyer.raw(
                .POST, "/api/conversations/\(id)/attachments", body: Data("hola".utf8), headers: [("Content-Type", "text/plain")])
            Self.expectRefused(upload, 400, field: "conversationId")
        }
    }
}
