import Foundation
import ParleyClient
import ParleyCore
import ParleyTestSupport
import Testing

/// The "done when", through the API of a node that runs the real sentence
/// encoder (`PARLEY_ASSIST_MODEL_DIR`; without it these tests fail and say how to fetch it).
@Suite struct AssistSemanticTests {
    @Test func aSpanishShopAnswersBuyersInEitherLanguageAndLeavesTheRestToTheSeller() async throws {
        let encoder = try AssistTestModel.encoder()
        try await TestServer.with(options: .init(userWritesPerSecond: 0, assistEmbedder: encoder)) { server in
            let seller = try await server.client("tienda1", .seller)
            let shipping = try await seller.createFAQEntry(
                .init(
                    language: "es", question: "¿Cuánto tarda el envío?", alternatives: ["¿Cuándo llega mi pedido?"],
                    answer: "Enviamos en 24 h; llega en 2 o 3 días laborables a toda la península."))
            let france = try await seller.createFAQEntry(
                .init(language: "es", question: "¿Hacéis envíos a Francia?", answer: "Sí, enviamos a Francia y Portugal en 5 días."))
            _ = try await seller.createFAQEntry(
                .init(language: "es", question: "¿Cómo devuelvo un producto?", answer: "Tienes 30 días para devolverlo gratis."))
            _ = try await seller.createTemplate(.init(name: "Gracias", content: "¡Gracias por tu mensaje! Lo miro y te digo."))

            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread(with: [("tienda1", .seller)]).conversation.conversationID
            let sevilla = try await buyer.send(id, .init(content: "cuanto tarda en llegar a sevilla??"))
            let first = try await AssistAPITests.nextMessage(after: sevilla.seq, in: id, as: buyer)
            #expect(first.annotations.auto?.faqID == shipping.faqID)

            let english = try await buyer.send(id, .init(content: "do you ship to France"))
            let second = try await AssistAPITests.nextMessage(after: english.seq, in: id, as: buyer)
            #expect(second.annotations.auto?.faqID == france.faqID)
            #expect(second.content == france.answer)

            let discount = try await buyer.send(id, .init(content: "quiero un descuento"))
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await buyer.messages(id).messages.last?.messageID == discount.messageID, "no automatic answer")
            let suggestions = try await seller.suggestions(id)
            #expect(suggestions.forMessageId == discount.messageID)
            #expect(suggestions.suggestions.count == 3)
            #expect(Set(suggestions.suggestions.map(\.source)).isSubset(of: ["faq", "template", "history"]))
        }
    }

    @Test func entriesSavedWithoutTheModelAreUnderstoodOnceItIsThere() async throws {
        let encoder = try AssistTestModel.encoder()
        let folder = try makeTemporaryFolder("assist-model-later")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("db.sqlite").path
        // First without the model: the entry has no vectors.
        let entry = try await TestServer.with(options: .init(databasePath: database)) { server in
            try await server.client("tienda1", .seller).createFAQEntry(
                .init(question: "¿Hacéis envíos a Francia?", answer: "Sí, en 5 días."))
        }
        try await TestServer.with(options: .init(databasePath: database, assistEmbedder: encoder)) { server in
            let match = try await server.client("buyer1", .buyer).matchFAQ("do you deliver to france?", sellerID: "tienda1")
            #expect(match.answer?.faqId == entry.faqID)
        }
    }
}
