import Foundation
import ParleyClient
import ParleyCore
import ParleyMessaging
import Testing

/// Templates, FAQ entries, automatic answers, verdicts and suggestions through the REST
/// API, as sellers, buyers and support use them. The in-process server here has no
/// sentence encoder: matching is by words (the encoder's own tests cover paraphrases).
@Suite struct AssistAPITests {
    static let contractTemplate = #"Hola {{buyer.name | "cliente"}}, tu pedido {{orderId}} sale hoy con {{custom.carrier}}."#

    @Test func aSellerSavesRendersAndSendsATemplate() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let seller = try await server.client("tienda1", .seller)
            let template = try await seller.createTemplate(
                .init(name: "Envío hoy", content: Self.contractTemplate, shortcut: "envio-hoy", language: "es"))
            #expect(template.scope == .personal && template.ownerID == "tienda1")
            #expect(template.variables == ["buyer.name", "orderId", "custom.carrier"])
            // Mistakes are refused at save, naming what is wrong.
            await expectStatus(400) { _ = try await seller.createTemplate(.init(name: "x", content: "Hola {{buyer.nombre}}")) }
            await expectStatus(400) { _ = try await seller.createTemplate(.init(name: "x", content: "Hola {{orderId")) }
            await expectStatus(400) { _ = try await seller.createTemplate(.init(content: "sin nombre")) }
            await expectStatus(400) { _ = try await seller.createTemplate(.init(name: "x", content: "hola", language: "fr")) }
            // Another seller does not see it; a seller cannot make shared ones.
            let other = try await server.client("tienda2", .seller)
            await expectStatus(404) { _ = try await other.template(template.templateID) }
            await expectStatus(403) { _ = try await other.createTemplate(.init(name: "x", content: "hola", scope: .shared)) }

            let conversation = try await server.client("buyer1", .buyer)
                .createThread(orderID: "PED-10231", with: [("tienda1", .seller)]).conversation.conversationID
            let rendered = try await seller.renderTemplate(
                template.templateID, in: conversation, values: ["custom.carrier": "SEUR"])
            #expect(rendered == "Hola cliente, tu pedido PED-10231 sale hoy con SEUR.")
            await expectStatus(400, code: "missing_variables") {
                _ = try await seller.renderTemplate(template.templateID, in: conversation)
            }
            let sent = try await seller.send(conversation, SendMessageBody(templateId: template.templateID, values: ["custom.carrier": "MRW"]))
            #expect(sent.content == "Hola cliente, tu pedido PED-10231 sale hoy con MRW.")
            #expect(sent.annotations.templateID == template.templateID)
            let history = try await seller.messages(conversation)
            #expect(history.messages.last?.annotations.templateID == template.templateID)

            // Search over name, shortcut and content, accents ignored.
            #expect(try await seller.templates(query: ["q": "envio"]).templates.map(\.templateID) == [template.templateID])
            #expect(try await seller.templates(query: ["q": "devolucion"]).templates.isEmpty)
            #expect(try await other.templates().templates.isEmpty)

            try await seller.deleteTemplate(template.templateID)
            await expectStatus(404) { _ = try await seller.template(template.templateID) }
        }
    }

    @Test func sharedTemplatesAreManagedBySupportAndSeenByEverySeller() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let support = try await server.client("agent7", .support)
            let shared = try await support.createTemplate(.init(name: "Saludo", content: "Hola, soy {{me.name | \"el equipo\"}}.", scope: .shared))
            let seller = try await server.client("tienda1", .seller)
            #expect(try await seller.templates().templates.map(\.templateID) == [shared.templateID])
            await expectStatus(403) { _ = try await seller.updateTemplate(shared.templateID, .init(content: "otro")) }
            let renamed = try await support.updateTemplate(shared.templateID, .init(name: "Saludo formal"))
            #expect(renamed.name == "Saludo formal" && renamed.content == shared.content)
        }
    }

    @Test func aBuyerQuestionGetsTheSellersAnswerAutomaticallyAndCanJudgeIt() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let seller = try await server.client("tienda1", .seller)
            let entry = try await seller.createFAQEntry(
                .init(
                    language: "es", question: "¿Cuánto tarda el envío?", alternatives: ["¿Cuándo llega mi pedido?"],
                    answer: "Enviamos en 24 h y tarda de 2 a 3 días laborables."))
            #expect(entry.scope == .seller && entry.ownerID == "tienda1" && entry.enabled)
            _ = try await seller.createFAQEntry(.init(question: "¿Puedo devolver un producto?", answer: "Sí, tienes 30 días."))

            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread(with: [("tienda1", .seller)]).conversation.conversationID
            let question = try await buyer.send(id, .init(content: "cuanto tarda en llegar el envio??"))
            let answer = try await Self.nextMessage(after: question.seq, in: id, as: buyer)
            #expect(answer.senderID == Principal.assistantID)
            #expect(answer.seq == question.seq + 1)
            #expect(answer.content == entry.answer)
            #expect(answer.annotations.auto?.faqID == entry.faqID)
            #expect((answer.annotations.auto?.score ?? 0) > 0)

            // No answer for what no entry covers.
            let unanswerable = try await buyer.send(id, .init(content: "quiero un descuento"))
            let match = try await buyer.matchFAQ("quiero un descuento", sellerID: "tienda1")
            #expect(match.answer == nil)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await buyer.messages(id).messages.last?.messageID == unanswerable.messageID)

            // The seller sees suggestions for the waiting question; the buyer may not ask.
            let suggestions = try await seller.suggestions(id)
            #expect(suggestions.forMessageId == unanswerable.messageID)
            #expect(suggestions.suggestions.count <= 3)
            await expectStatus(403) { _ = try await buyer.suggestions(id) }

            // "Not helpful" hands the conversation to a person; answers stop.
            await expectStatus(403) { _ = try await seller.feedback(id, messageID: answer.messageID, helpful: false) }
            await expectStatus(400) { _ = try await buyer.feedback(id, messageID: question.messageID, helpful: false) }
            _ = try await buyer.feedback(id, messageID: answer.messageID, helpful: false)
            let escalated = try await seller.conversation(id).conversation
            #expect(escalated.escalation?.reason == .unhelpfulAnswer)
            #expect(escalated.escalation?.messageID == answer.messageID)
            #expect(escalated.priority == .high)
            let stats = try await seller.faqEntry(entry.faqID).stats
            #expect(stats == FAQStats(answered: 1, helpful: 0, unhelpful: 1))
            let again = try await buyer.send(id, .init(content: "cuanto tarda el envio?"))
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await buyer.messages(id).messages.last?.messageID == again.messageID)
        }
    }

    @Test func theAutomaticAnswerComesBeforeTheSellersReplyAndOverTheWebSocket() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let seller = try await server.client("tienda1", .seller)
            let entry = try await seller.createFAQEntry(.init(question: "¿Hacéis envíos a Francia?", answer: "Sí, a toda la UE."))
            // A full FAQ, so that matching takes a while (without the hold, the seller's
            // reply would take the next seq).
            for index in 0..<AssistLimits.maxFAQEntriesPerOwner - 1 {
                _ = try await seller.createFAQEntry(
                    .init(
                        question: "¿Tenéis la talla \(index) del modelo \(index * 7) en color \(index % 13)?", answer: "Consulta la ficha \(index)."))
            }
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread(with: [("tienda1", .seller)]).conversation.conversationID
            let outcome = try await server.realtime("buyer1", .buyer) { session in
                try await session.send(.ping(id: nil))
                _ = try await session.next { if case .pong = $0 { true } else { false } }
                // The seller answers at once; the assistant's answer still takes the next seq.
                let question = try await buyer.send(id, .init(content: "haceis envios a francia?"))
                let reply = try await seller.send(id, .init(content: "¡Hola! Te cuento enseguida."))
                let automatic = try await session.next { $0.newMessage?.senderID == Principal.assistantID }.newMessage
                return (question, reply, automatic)
            }
            let (question, reply, automatic) = outcome.value
            #expect(automatic?.annotations.auto?.faqID == entry.faqID)
            #expect(automatic?.seq == question.seq + 1)
            #expect(reply.seq == question.seq + 2)
        }
    }

    @Test func aSellerCanTurnAutomaticAnswersOff() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let seller = try await server.client("tienda1", .seller)
            _ = try await seller.createFAQEntry(.init(question: "¿Cuánto tarda el envío?", answer: "De 2 a 3 días."))
            #expect(try await seller.setAssistSettings(autoAnswer: false).autoAnswer == false)
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread(with: [("tienda1", .seller)]).conversation.conversationID
            let question = try await buyer.send(id, .init(content: "cuanto tarda el envio?"))
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await buyer.messages(id).messages.last?.messageID == question.messageID)
            // The match endpoint still says what it would answer.
            #expect(try await buyer.matchFAQ("cuanto tarda el envio?", sellerID: "tienda1").answer != nil)
            _ = try await seller.setAssistSettings(autoAnswer: true)
            let next = try await buyer.send(id, .init(content: "y cuanto tarda el envio a sevilla?"))
            #expect(try await Self.nextMessage(after: next.seq, in: id, as: buyer).senderID == Principal.assistantID)
        }
    }

    @Test func whoSeesAndChangesWhichEntries() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let seller = try await server.client("tienda1", .seller)
            let buyer = try await server.client("buyer1", .buyer)
            let support = try await server.client("agent7", .support)
            let visible = try await seller.createFAQEntry(.init(question: "¿Hacéis envíos a Francia?", answer: "Sí, en 5 días."))
            let hidden = try await seller.createFAQEntry(.init(question: "Borrador", answer: "Sin publicar", enabled: false))
            #expect(try await buyer.faqEntries(ownerID: "tienda1").entries.map(\.faqID) == [visible.faqID])
            #expect(Set(try await seller.faqEntries().entries.map(\.faqID)) == [visible.faqID, hidden.faqID])
            await expectStatus(404) { _ = try await buyer.faqEntry(hidden.faqID) }
            await expectStatus(403) { _ = try await buyer.updateFAQEntry(visible.faqID, .init(answer: "No")) }
            await expectStatus(403) { _ = try await buyer.deleteFAQEntry(visible.faqID) }
            await expectStatus(403) { _ = try await seller.createFAQEntry(.init(scope: .global, question: "q", answer: "a")) }
            await expectStatus(403) {
                _ = try await seller.createFAQEntry(.init(ownerId: "tienda2", question: "q", answer: "a"))
            }
            // Support keeps global entries and may act for a seller.
            let global = try await support.createFAQEntry(.init(question: "¿Cómo contacto con soporte?", answer: "Escribe a ayuda."))
            #expect(global.scope == .global && global.ownerID == nil)
            let forSeller = try await support.createFAQEntry(.init(ownerId: "tienda1", question: "¿Factura?", answer: "Sí."))
            #expect(forSeller.ownerID == "tienda1")
            let updated = try await support.updateFAQEntry(visible.faqID, .init(alternatives: ["¿Enviáis a París?"]))
            #expect(updated.alternatives == ["¿Enviáis a París?"] && updated.question == visible.question)
            // Matching sees the seller's entries and the global ones, at most 3, best first.
            let match = try await buyer.matchFAQ("como contacto con soporte", sellerID: "tienda1")
            #expect(match.matches.first?.faqId == global.faqID)
            #expect(match.matches.count <= 3)
            #expect(match.matches.allSatisfy { (0...1).contains($0.score) })
            #expect(zip(match.matches, match.matches.dropFirst()).allSatisfy { $0.score >= $1.score })
            try await support.deleteFAQEntry(global.faqID)
            await expectStatus(404) { _ = try await buyer.faqEntry(global.faqID) }
        }
    }

    @Test func nobodySignsInAsTheAssistant() async throws {
        try await TestServer.with { server in
            let impostor = try await server.client(Principal.assistantID, .seller)
            await expectStatus(401) { _ = try await impostor.conversations() }
        }
    }

    /// The first message after `seq`, polled for at most 15 s (automatic answers are posted
    /// after the question is committed, in milliseconds; but in the first minute of a full
    /// run every suite starts its servers at once on two cores, and a 3 s wait failed there).
    static func nextMessage(after seq: Int64, in id: String, as client: ParleyRESTClient) async throws -> Message {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if let message = try await client.messages(id, query: ["after": "\(seq)"]).messages.first { return message }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CancellationError()
    }
}
