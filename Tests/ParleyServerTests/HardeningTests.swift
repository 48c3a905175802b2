import Foundation
import JWTKit
import ParleyClient
import ParleyCore
import ParleyServer
import Testing

/// What a hostile or careless client could do before issue 10, each now refused or
/// harmless: through the real server, as such a client would try it.
@Suite struct HardeningTests {
    /// `"a"` followed by `count` combining acute accents: one character, `2 * count + 1` bytes.
    static func oneCharacter(accents count: Int) -> String {
        "a" + String(repeating: "\u{301}", count: count)
    }

    @Test func searchNarrowedToAnotherUsersConversationFindsNothing() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread(message: "Mi dirección es Calle Falsa 123").conversation.conversationID
            let outsider = try await server.client("outsider", .buyer)
            for q in ["direccion", "ca*", "calle falsa"] {
                let found = try await outsider.search(q, query: ["conversationId": id])
                #expect(found.results.isEmpty, "an outsider found \(q) in someone else's conversation")
            }
            #expect(try await buyer.search("direccion", query: ["conversationId": id]).results.count == 1)
        }
    }

    @Test func sizesAreCountedInBytesNotCharacters() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let heavy = Self.oneCharacter(accents: 200)
            #expect(heavy.count == 1)
            func create(_ json: String) async throws -> Int {
                try await buyer.rawJSON(.POST, "/api/conversations", json).status
            }
            let people = #"[{"userId":"buyer1","role":"buyer"},{"userId":"seller1","role":"seller"}]"#
            #expect(try await create(#"{"participants":[{"userId":"buyer1","role":"buyer"},{"userId":"\#(heavy)","role":"seller"}]}"#) == 400)
            #expect(try await create(#"{"participants":\#(people),"productId":"\#(heavy)"}"#) == 400)
            #expect(try await create(#"{"participants":\#(people),"orderId":"\#(heavy)"}"#) == 400)
            #expect(try await create(#"{"participants":\#(people),"labels":["\#(heavy)"]}"#) == 400)
            let longSubject = String(repeating: "ñ", count: 257)  // 514 bytes
            #expect(try await create(#"{"participants":\#(people),"subject":"\#(longSubject)"}"#) == 400)
            let id = try await buyer.createThread().conversation.conversationID
            let send = try await buyer.rawJSON(
                .POST, "/api/conversations/\(id)/messages", #"{"content":"hola","clientMessageId":"\#(heavy)"}"#)
            #expect(send.status == 400)
            #expect(send.error?.error.message.contains("clientMessageId") == true)
            #expect(try await buyer.rawJSON(.PUT, "/api/conversations/\(id)/labels", #"{"labels":["\#(heavy)"]}"#).status == 400)
            #expect(try await buyer.raw(.GET, "/api/conversations?label=\(Self.percentEncoded(heavy))").status == 400)
            // Exactly at the limits is fine.
            let subject512 = String(repeating: "ñ", count: 256)
            #expect(try await create(#"{"participants":\#(people),"orderId":"o-512","subject":"\#(subject512)"}"#) == 201)
        }
    }

    @Test func costlySearchesAreRefused() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            _ = try await buyer.createThread(message: "hola")
            let seventeenWords = (1...17).map { "palabra\($0)" }.joined(separator: " ")
            let oneLetterPrefixes = "a* b* c* d*"
            let longQuery = String(repeating: "é", count: 129)  // 258 bytes, 129 characters
            for q in [seventeenWords, oneLetterPrefixes, longQuery] {
                let response = try await buyer.raw(.GET, "/api/search?q=\(Self.percentEncoded(q))")
                #expect(response.status == 400, "q=\(q.prefix(20))… answered \(response.status)")
                #expect(response.error?.error.message.hasPrefix("q") == true)
            }
            #expect(try await buyer.raw(.GET, "/api/search?q=\(Self.percentEncoded("ho* envio"))").status == 200)
        }
    }

    @Test func readsArchivesSearchesAndTicketsCountAgainstTheUsersLimit() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 5)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread(message: "hola").conversation.conversationID
            let attempts: [(String, () async throws -> ParleyRESTClient.RawResponse)] = [
                ("read", { try await buyer.rawJSON(.POST, "/api/conversations/\(id)/read", #"{"seq":1}"#) }),
                ("archive", { try await buyer.rawJSON(.PUT, "/api/conversations/\(id)/archive", #"{"archived":false}"#) }),
                ("search", { try await buyer.raw(.GET, "/api/search?q=hola") }),
                ("ticket", { try await buyer.raw(.POST, "/api/realtime/tickets") }),
            ]
            for (name, attempt) in attempts {
                var limited: ParleyRESTClient.RawResponse?
                for _ in 0..<200 {
                    let response = try await attempt()
                    if response.status == 429 {
                        limited = response
                        break
                    }
                    #expect(response.status < 300, "\(name): \(response.status)")
                }
                let refused = try #require(limited, "\(name) was never rate limited")
                #expect(refused.error?.error.code == "rate_limited")
                #expect(Int(refused.header("Retry-After") ?? "") ?? 0 >= 1)
                try await Task.sleep(for: .seconds(3))
            }
        }
    }

    @Test func aRepeatedReadAnnouncesNothing() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let seller = try await server.client("seller1", .seller)
            let id = try await buyer.createThread(message: "hola").conversation.conversationID
            let outcome = try await server.realtime("buyer1", .buyer) { session in
                try await session.send(.ping(id: nil))
                _ = try await session.next { if case .pong = $0 { true } else { false } }
                _ = try await seller.markRead(id, seq: 1)
                _ = try await seller.markRead(id, seq: 1)
                _ = try await seller.markRead(id, seq: 0)
                return try await session.drain(for: .milliseconds(500))
            }
            let reads = outcome.value.filter { if case .event(.read) = $0 { true } else { false } }
            #expect(reads.count == 1)
            #expect(try await seller.markRead(id, seq: 0).seq == 1)
        }
    }

    @Test func participantsAreBuyersOrSellersAndOnlyKnownAgentsAreAssigned() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let declaringSupport = try await buyer.rawJSON(
                .POST, "/api/conversations",
                #"{"participants":[{"userId":"buyer1","role":"support"},{"userId":"seller1","role":"seller"}]}"#)
            #expect(declaringSupport.status == 400)
            #expect(declaringSupport.error?.error.message.contains("participants[0].role") == true)
            let id = try await buyer.createThread().conversation.conversationID
            let service = try await server.client("backend", .service)
            // A buyer's id cannot be made the assignee: that would let it hear the conversation.
            await expectStatus(400) { _ = try await service.setAssignee(id, "buyer2") }
            let agent = try await server.client("agent7", .support)
            _ = try await agent.conversations()  // signs in once
            #expect(try await service.setAssignee(id, "agent7").conversation.assignedTo == "agent7")
            // Signing in over the WebSocket alone makes an agent known too.
            _ = try await server.realtime("agent8", .support) { session in
                try await session.send(.ping(id: nil))
                _ = try await session.next { if case .pong = $0 { true } else { false } }
            }
            #expect(try await service.setAssignee(id, "agent8").conversation.assignedTo == "agent8")
            // The same id with another token role gains nothing from the assignment.
            let sameIDAsBuyer = try await server.client("agent7", .buyer)
            await expectStatus(404) { _ = try await sameIDAsBuyer.conversation(id) }
        }
    }

    @Test func userIDsAreComparedAsBytes() async throws {
        try await TestServer.with { server in
            let composed = "Jos\u{E9}"  // NFC
            let decomposed = "Jose\u{301}"  // NFD: the same to Swift's ==, another user to the store
            #expect(composed == decomposed)
            let buyer = try await server.client(composed, .buyer)
            let id = try await buyer.createThread(me: (composed, .buyer), message: "privado").conversation.conversationID
            let impostor = try await server.client(decomposed, .buyer)
            await expectStatus(404) { _ = try await impostor.conversation(id) }
            await expectStatus(404) { _ = try await impostor.messages(id) }
            await expectStatus(404) { _ = try await impostor.send(id, .init(content: "soy yo")) }
            #expect(try await impostor.search("privado").results.isEmpty)
            #expect(try await impostor.conversations().conversations.isEmpty)
            // Two participants that differ only in normalisation are two people.
            let both = try await buyer.rawJSON(
                .POST, "/api/conversations",
                #"{"participants":[{"userId":"\#(composed)","role":"buyer"},{"userId":"\#(decomposed)","role":"seller"}]}"#)
            #expect(both.status == 201)
        }
    }

    @Test func aTokenWithAHugeExpiryIsAcceptedWithoutCrashing() async throws {
        try await TestServer.with { server in
            let keys = JWTKeyCollection()
            await keys.add(hmac: HMACKey(from: TestServer.secret), digestAlgorithm: .sha256)
            for exp in [9.3e15, 1e300, Double(Int64.max)] {
                let token = try await keys.sign(HugeExpiryPayload(sub: "buyer1", role: "buyer", exp: exp))
                let response = try await server.anonymous(token: token).raw(.GET, "/api/conversations")
                #expect(response.status == 200, "exp \(exp): \(response.status)")
            }
            #expect(try await server.anonymous().raw(.GET, "/health").status == 200)
        }
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}

/// Claims with a raw `exp` number, as a hostile but validly signed token carries them.
private struct HugeExpiryPayload: JWTPayload {
    var sub: String
    var role: String
    var exp: Double

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
