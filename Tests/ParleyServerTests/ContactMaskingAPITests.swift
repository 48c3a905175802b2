import Foundation
import ParleyClient
import ParleyCore
import Testing

/// Contact masking through the API: before an order (the default), always or never;
/// what each viewer gets; search over the masked text.
@Suite struct ContactMaskingAPITests {
    static let disguisedPhone = "escríbeme al seis uno dos, tres cuatro cinco, seis siete ocho y lo hablamos"

    @Test func contactsBeforeAnOrderReachTheSellerMaskedAndSupportSeesTheOriginal() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let seller = try await server.client("seller1", .seller)
            let support = try await server.client("agent1", .support)
            let id = try await buyer.createConversation(
                CreateConversationBody(
                    participants: [.init(userId: "buyer1", role: .buyer), .init(userId: "seller1", role: .seller)],
                    productId: "p1")
            ).conversation.conversationID
            let sent = try await buyer.send(id, .init(content: Self.disguisedPhone))
            #expect(!sent.content.contains("seis uno dos"))
            #expect(sent.content.contains("[…]") && sent.content.hasPrefix("escríbeme al"))
            #expect(sent.annotations.masked == [.phone])
            // The original is for support and service only, never the other participants
            // (nor the author, who wrote it).
            #expect(sent.annotations.originalContent == nil)
            let forSeller = try #require(try await seller.messages(id).messages.last)
            #expect(forSeller.content == sent.content && forSeller.annotations.masked == [.phone])
            #expect(forSeller.annotations.originalContent == nil)
            let forSupport = try #require(try await support.messages(id).messages.last)
            #expect(forSupport.annotations.originalContent == Self.disguisedPhone)

            _ = try await seller.send(id, .init(content: "mejor escríbeme a ana arroba gmail punto com o por wa.me/34612345678"))
            let reply = try #require(try await buyer.messages(id).messages.last)
            #expect(reply.annotations.masked == [.email, .link] || reply.annotations.masked == [.phone, .email, .link])
            #expect(!reply.content.contains("gmail") && !reply.content.contains("wa.me"))

            // Search indexes what was stored: the masked text.
            #expect(try await support.search("gmail").results.isEmpty)
            #expect(try await support.search("hablamos").results.count == 1)

            // A caption is masked as well as a text (and gets no sentiment).
            let photo = try await buyer.upload(id, bytes: AttachmentAPITests.phonePhoto, contentType: "image/jpeg")
            let caption = try await buyer.send(
                id, .init(content: "foto del bolso, llámame al 612 345 678", type: .image, attachmentId: photo.attachmentId))
            #expect(caption.content == "foto del bolso, llámame al […]" && caption.annotations.masked == [.phone])
            #expect(try await support.messages(id).messages.last?.annotations.sentiment == nil)

            // What must stay stays: order numbers, prices, sizes, dates, postcodes.
            let plain = "El pedido PED-10231 de 49,95 € en talla 42 llega el 12/03/2025 al 28013"
            let kept = try await buyer.send(id, .init(content: plain))
            #expect(kept.content == plain && kept.annotations.masked == nil)
        }
    }

    @Test func withAnOrderNothingIsMaskedUnlessConfiguredToAlwaysMask() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread(orderID: "PED-10231").conversation.conversationID
            let sent = try await buyer.send(id, .init(content: "llámame al 612 345 678"))
            #expect(sent.content == "llámame al 612 345 678" && sent.annotations.masked == nil)
        }
        try await TestServer.with(options: .init(userWritesPerSecond: 0, contactMasking: .always)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread(orderID: "PED-10231").conversation.conversationID
            let sent = try await buyer.send(id, .init(content: "llámame al 612 345 678"))
            #expect(sent.content == "llámame al […]" && sent.annotations.masked == [.phone])
        }
        try await TestServer.with(options: .init(userWritesPerSecond: 0, contactMasking: .never)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createConversation(
                CreateConversationBody(
                    participants: [.init(userId: "buyer1", role: .buyer), .init(userId: "seller1", role: .seller)],
                    message: .init(content: "mi email es ana@example.com"))
            ).conversation.conversationID
            #expect(try await buyer.messages(id).messages.first?.content == "mi email es ana@example.com")
        }
    }

    @Test func theFirstMessageOfANewConversationAndLiveDeliveriesAreMaskedToo() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let support = try await server.client("agent1", .support)
            _ = try await server.realtime("seller1", .seller) { seller in
                try await seller.send(.ping(id: nil))
                _ = try await seller.next { if case .pong = $0 { true } else { false } }
                let id = try await buyer.createConversation(
                    CreateConversationBody(
                        participants: [.init(userId: "buyer1", role: .buyer), .init(userId: "seller1", role: .seller)],
                        message: .init(content: "hola! sígueme en insta @ana_tienda y hablamos"))
                ).conversation.conversationID
                let live = try #require(try await seller.next { $0.newMessage != nil }.newMessage)
                #expect(live.annotations.masked == [.handle] && !live.content.contains("ana_tienda"))
                #expect(live.annotations.originalContent == nil)
                #expect(try await support.messages(id).messages.first?.annotations.originalContent?.contains("@ana_tienda") == true)
            }
        }
    }
}
