import Crypto
import Foundation
import ParleyClient
import ParleyCore
import Testing

/// End-to-end encryption's rows of the permission matrix: devices, epoch keys, encrypted
/// messages, reports. Each caller has a registered device of its own; buyer1 and seller1
/// take part in a fresh encrypted conversation per operation, with epoch 1 and a franked
/// message of buyer1's.
extension PermissionMatrixTests {
    struct EncryptedFixture {
        var conversationID: String
        var epochKey: SymmetricKey
        var frankedMessageID: String
        var franking: String
    }

    static let encryptionOperations:
        [(String, ParleyRESTClient.Method, @Sendable (EncryptedFixture, E2EETestDevice) throws -> (String, String?), [Caller: Int])] = [
            (
                "GET buyer1's devices", .GET, { _, _ in ("/api/users/buyer1/devices", nil) },
                [.buyer: 200, .seller: 200, .outsider: 404, .support: 200, .service: 200]
            ),
            (
                "POST epoch 2", .POST,
                { fixture, device in
                    (
                        "/api/conversations/\(fixture.conversationID)/keys",
                        #"{"epoch":2,"senderDeviceId":"\#(device.deviceID)","sealed":[{"userId":"buyer1","deviceId":"phone","key":"AAAA"}]}"#
                    )
                },
                [.buyer: 201, .seller: 201, .outsider: 404, .support: 403, .service: 403]
            ),
            (
                "GET keys", .GET, { fixture, device in ("/api/conversations/\(fixture.conversationID)/keys?deviceId=\(device.deviceID)", nil) },
                [.buyer: 200, .seller: 200, .outsider: 404, .support: 403, .service: 403]
            ),
            (
                "POST encrypted message", .POST,
                { fixture, device in
                    let sealed = try device.encrypt(
                        "hola", key: fixture.epochKey, conversationID: fixture.conversationID, epoch: 1, clientMessageID: "pm-1")
                    return ("/api/conversations/\(fixture.conversationID)/messages", E2EETestDevice.sendJSON(sealed, clientMessageID: "pm-1"))
                },
                [.buyer: 201, .seller: 201, .outsider: 404, .support: 201, .service: 201]
            ),
            (
                "POST plain message", .POST, { fixture, _ in ("/api/conversations/\(fixture.conversationID)/messages", #"{"content":"hola"}"#) },
                [.buyer: 400, .seller: 400, .outsider: 404, .support: 400, .service: 400]
            ),
            (
                "POST report", .POST,
                { fixture, _ in
                    (
                        "/api/conversations/\(fixture.conversationID)/messages/\(fixture.frankedMessageID)/report",
                        #"{"content":"hola","franking":"\#(fixture.franking)"}"#
                    )
                },
                [.buyer: 403, .seller: 201, .outsider: 404, .support: 403, .service: 403]
            ),
            (
                "GET reports", .GET, { _, _ in ("/api/reports", nil) },
                [.buyer: 403, .seller: 403, .outsider: 403, .support: 200, .service: 200]
            ),
        ]

    @Test(arguments: Caller.allCases)
    func eachCallerGetsTheContractsAnswerOnEncryption(caller: Caller) async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let seller = try await server.client("seller1", .seller)
            let buyerPhone = E2EETestDevice("buyer1", "phone")
            let sellerLaptop = E2EETestDevice("seller1", "laptop")
            #expect(try await buyerPhone.register(with: buyer).status == 201)
            #expect(try await sellerLaptop.register(with: seller).status == 201)
            let (userID, role) = caller.identity
            let client = try await server.client(userID, role)
            let device: E2EETestDevice
            switch caller {
            case .buyer: device = buyerPhone
            case .seller: device = sellerLaptop
            default:
                device = E2EETestDevice(userID, "own")
                #expect(try await device.register(with: client).status == 201, "\(caller) registers a device")
            }
            for (index, (description, method, request, expected)) in Self.encryptionOperations.enumerated() {
                let created = try await buyer.rawJSON(
                    .POST, "/api/conversations",
                    #"{"participants":[{"userId":"buyer1","role":"buyer"},{"userId":"seller1","role":"seller"}],"orderId":"e2ee-\#(index)","encrypted":true}"#
                )
                let id = try #require(created.jsonObject["conversationId"] as? String)
                let key = SymmetricKey(size: .bits256)
                let keys = try await buyer.rawJSON(
                    .POST, "/api/conversations/\(id)/keys",
                    #"{"epoch":1,"senderDeviceId":"phone","sealed":[\#(try buyerPhone.sealedEntry(key, conversationID: id, epoch: 1)),\#(try sellerLaptop.sealedEntry(key, conversationID: id, epoch: 1))]}"#
                )
                #expect(keys.status == 201)
                let frankingKey = [UInt8](repeating: 1, count: 32)
                let franked = try buyerPhone.encrypt("hola", key: key, conversationID: id, epoch: 1, clientMessageID: "f-1", franking: frankingKey)
                let sent = try await buyer.rawJSON(
                    .POST, "/api/conversations/\(id)/messages", E2EETestDevice.sendJSON(franked, clientMessageID: "f-1"))
                let fixture = EncryptedFixture(
                    conversationID: id, epochKey: key, frankedMessageID: try #require(sent.jsonObject["messageId"] as? String),
                    franking: E2EETestDevice.b64(frankingKey))
                let (path, body) = try request(fixture, device)
                let response = try await client.raw(method, path, body: body.map { Data($0.utf8) })
                let want = try #require(expected[caller])
                #expect(response.status == want, "\(caller) \(description): \(response.status) \(response.bodyText)")
                if response.status >= 400 { #expect(response.error != nil, "\(caller) \(description) error body") }
            }
            // Every caller registers and retires its own devices, and no one else's.
            #expect(try await client.raw(.DELETE, "/api/devices/not-mine").status == 404)
            #expect(try await client.raw(.DELETE, "/api/devices/\(device.deviceID)").status == 204)
        }
    }
}
