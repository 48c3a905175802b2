import Foundation
import ParleyClient
import ParleyCore
import Testing

/// `GET /api/search`: Spanish and English word forms, accents, and nobody finding what
/// they may not see.
@Suite struct SearchAPITests {
    struct Fixture: Sendable {
        let buyer: ParleyRESTClient
        let seller: ParleyRESTClient
        let conversationID: String
        let otherConversationID: String
    }

    static func withFixture(_ body: @Sendable (TestServer, Fixture) async throws -> Void) async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let seller = try await server.client("seller1", .seller)
            let id = try await buyer.createThread().conversation.conversationID
            for text in [
                "¿Cuándo llega el envío del pedido?", "Los envíos salen los lunes", "Ya está enviado, llega mañana",
                "Was my order shipped?", "We are shipping it today 📦!", "El niño quiere otro color",
                "Necesito la factura, por favor", "Gracias!!! Todo perfecto 🙂",
            ] {
                _ = try await buyer.send(id, .init(content: text))
            }
            let stranger = try await server.client("buyer9", .buyer)
            let other = try await stranger.createThread(orderID: "secret", me: ("buyer9", .buyer))
            _ = try await stranger.send(other.conversation.conversationID, .init(content: "Envío secreto a otra dirección"))
            try await body(
                server,
                Fixture(
                    buyer: buyer, seller: seller, conversationID: id,
                    otherConversationID: other.conversation.conversationID))
        }
    }

    static func search(_ client: ParleyRESTClient, _ query: [String: String]) async throws -> SearchResultsBody {
        var filters = query
        guard let q = filters.removeValue(forKey: "q") else {
            let raw = try await client.raw(.GET, "/api/search")
            throw ParleyClientError.server(status: raw.status, error: raw.error)
        }
        return try await client.search(q, query: filters)
    }

    static func contents(_ client: ParleyRESTClient, _ q: String) async throws -> Set<String> {
        Set(try await search(client, ["q": q]).results.map(\.message.content))
    }

    static func expectFound(
        _ client: ParleyRESTClient, _ q: String, _ expected: Set<String>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let found = try await contents(client, q)
        #expect(found == expected, "q=\(q)", sourceLocation: sourceLocation)
    }

    @Test func envioWithoutAccentFindsEveryWordForm() async throws {
        try await Self.withFixture { _, fixture in
            let found = try await Self.contents(fixture.buyer, "envio")
            #expect(found == ["¿Cuándo llega el envío del pedido?", "Los envíos salen los lunes", "Ya está enviado, llega mañana"])
        }
    }

    @Test func englishWordFormsMatch() async throws {
        try await Self.withFixture { _, fixture in
            let found = try await Self.contents(fixture.seller, "shipping")
            #expect(found == ["Was my order shipped?", "We are shipping it today 📦!"])
        }
    }

    @Test func caseEnyePunctuationAndEmojiDoNotGetInTheWay() async throws {
        try await Self.withFixture { _, fixture in
            try await Self.expectFound(fixture.buyer, "NINO", ["El niño quiere otro color"])
            try await Self.expectFound(fixture.buyer, "gracias", ["Gracias!!! Todo perfecto 🙂"])
            try await Self.expectFound(fixture.buyer, "today", ["We are shipping it today 📦!"])
            try await Self.expectFound(fixture.buyer, "cuando llega", ["¿Cuándo llega el envío del pedido?"])
        }
    }

    @Test func everyWordMustMatchAndATrailingStarIsAPrefix() async throws {
        try await Self.withFixture { _, fixture in
            try await Self.expectFound(fixture.buyer, "envio lunes", ["Los envíos salen los lunes"])
            try await Self.expectFound(fixture.buyer, "fact*", ["Necesito la factura, por favor"])
            try await Self.expectFound(fixture.buyer, "envío inexistente", [])
        }
    }

    @Test func stopWordsAloneFindNothingAndBadQueriesAre400() async throws {
        try await Self.withFixture { _, fixture in
            let onlyStopWords = try await Self.search(fixture.buyer, ["q": "el de la"])
            #expect(onlyStopWords.results.isEmpty)
            await expectStatus(400) { _ = try await Self.search(fixture.buyer, ["q": "   "]) }
            await expectStatus(400) { _ = try await Self.search(fixture.buyer, [:]) }
            await expectStatus(400) { _ = try await Self.search(fixture.buyer, ["q": String(repeating: "a", count: 257)]) }
            await expectStatus(400) { _ = try await Self.search(fixture.buyer, ["q": "envio", "limit": "101"]) }
            await expectStatus(400) { _ = try await Self.search(fixture.buyer, ["q": "envio", "from": "yesterday"]) }
            await expectStatus(400) { _ = try await Self.search(fixture.buyer, ["q": "envio", "cursor": "nope"]) }
        }
    }

    @Test func nobodyFindsWhatTheyMayNotSee() async throws {
        try await Self.withFixture { server, fixture in
            let mine = try await Self.contents(fixture.buyer, "secreto")
            #expect(mine.isEmpty)
            let outsider = try await server.client("stranger", .seller)
            try await Self.expectFound(outsider, "envio", [])
            let support = try await server.client("agent", .support)
            try await Self.expectFound(support, "secreto", ["Envío secreto a otra dirección"])
        }
    }

    @Test func snippetsMarkTheMatchAndFiltersNarrow() async throws {
        try await Self.withFixture { _, fixture in
            let results = try await Self.search(fixture.buyer, ["q": "enviado"]).results
            let first = try #require(results.first { $0.message.content.hasPrefix("Ya está") })
            // Plain text with the match as a UTF-16 range (what a browser's string indexes).
            let marked = first.highlights.map { range in
                String(decoding: Array(first.snippet.utf16)[range.start..<(range.start + range.length)], as: UTF16.self)
            }
            #expect(marked == ["enviado"])
            #expect(!first.snippet.contains("<"))
            #expect(first.conversationId == fixture.conversationID)
            let bySender = try await Self.search(fixture.seller, ["q": "envio", "senderId": "seller1"])
            #expect(bySender.results.isEmpty)
            let inConversation = try await Self.search(fixture.buyer, ["q": "envio", "conversationId": fixture.conversationID])
            #expect(inConversation.results.count == 3)
            let future = try await Self.search(fixture.buyer, ["q": "envio", "from": "2999-01-01T00:00:00.000Z"])
            #expect(future.results.isEmpty)
        }
    }

    @Test func resultsPageWithACursor() async throws {
        try await Self.withFixture { _, fixture in
            let first = try await Self.search(fixture.buyer, ["q": "envio", "limit": "2"])
            #expect(first.results.count == 2)
            let cursor = try #require(first.nextCursor)
            let second = try await Self.search(fixture.buyer, ["q": "envio", "limit": "2", "cursor": cursor])
            #expect(second.results.count == 1)
            #expect(second.nextCursor == nil)
            let all = Set((first.results + second.results).map(\.message.messageID))
            #expect(all.count == 3)
        }
    }

    @Test func aMessageFromSomeoneElseUnarchivesForTheOthers() async throws {
        try await Self.withFixture { _, fixture in
            _ = try await fixture.seller.setArchived(fixture.conversationID, true)
            _ = try await fixture.buyer.setArchived(fixture.conversationID, true)
            _ = try await fixture.buyer.send(fixture.conversationID, .init(content: "¿Hola?"))
            #expect(try await fixture.seller.conversation(fixture.conversationID).archived == false)
            #expect(try await fixture.buyer.conversation(fixture.conversationID).archived == true)
        }
    }
}
