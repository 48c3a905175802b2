import Foundation
import ParleyAssist
import Testing

/// What a buyer notices of FAQ matching: the right entry for questions written the way
/// buyers write them, no automatic answer when nothing fits, and the shape of the answer.
/// The lexical tests need no model; the semantic ones need `PARLEY_ASSIST_MODEL_DIR` and
/// fail, saying so, without it.
@Suite struct FAQMatcherTests {
    /// A clothing shop's FAQ, in Spanish.
    static let shopFAQ: [FAQDocument] = [
        FAQDocument(
            faqId: "plazo-envio", question: "¿Cuánto tarda en llegar mi pedido?", alternatives: ["¿Cuándo recibiré mi compra?"],
            answer: "Enviamos en 24 horas laborables y el pedido llega en 2-3 días a la península.", language: .es),
        FAQDocument(
            faqId: "envio-internacional", question: "¿Hacéis envíos a Francia?", alternatives: ["¿Enviáis fuera de España?"],
            answer: "Sí, enviamos a toda la Unión Europea en 5-7 días.", language: .es),
        FAQDocument(
            faqId: "gastos-envio", question: "¿Cuánto cuesta el envío?", alternatives: [],
            answer: "El envío cuesta 4,95 € y es gratis a partir de 50 €.", language: .es),
        FAQDocument(
            faqId: "devoluciones", question: "¿Cómo hago una devolución?", alternatives: ["¿Puedo devolver un producto?"],
            answer: "Tienes 30 días para devolver las prendas sin usar desde tu cuenta.", language: .es),
        FAQDocument(
            faqId: "pago", question: "¿Qué formas de pago aceptáis?", alternatives: ["¿Puedo pagar con PayPal?"],
            answer: "Tarjeta, PayPal y Bizum.", language: .es),
        FAQDocument(
            faqId: "factura", question: "¿Me podéis hacer una factura?", alternatives: [],
            answer: "Sí, escríbenos tus datos fiscales y te la enviamos.", language: .es),
        FAQDocument(
            faqId: "tallas", question: "¿Qué talla me pido?", alternatives: ["¿Cómo son las tallas?"],
            answer: "Las prendas tallan normal; mira la guía de tallas de cada producto.", language: .es),
    ]

    let lexical = FAQMatcher(embedder: nil)

    @Test func aShippingTimeQuestionWithoutAccentsIsAnsweredByTheShippingTimeEntry() {
        let outcome = lexical.match("cuanto tarda en llegar??", in: Self.shopFAQ)
        #expect(outcome.matches.first?.faqId == "plazo-envio")
        #expect(outcome.answer?.faqId == "plazo-envio")
    }

    @Test(arguments: [
        ("envio a francia?", "envio-internacional"),
        ("como hago la devolucion", "devoluciones"),
        ("puedo debolver el pantalon?", "devoluciones"),
        ("cuanto questa el envío", "gastos-envio"),
        ("aceptais paypal", "pago"),
    ])
    func accentsAndTyposFindTheRightEntry(message: String, faqId: String) {
        #expect(lexical.match(message, in: Self.shopFAQ).matches.first?.faqId == faqId)
    }

    /// Without an encoder, English questions still meet the Spanish entries through the
    /// glossary's shared concepts (ship ~ envío, return ~ devolución, invoice ~ factura).
    @Test(arguments: [
        ("do you ship to france?", "envio-internacional"),
        ("how do i return an item", "devoluciones"),
        ("can you send me an invoice", "factura"),
        ("do you take paypal", "pago"),
        ("what size should i order", "tallas"),
    ])
    func englishQuestionsFindTheSpanishEntryWithoutAnEncoder(message: String, faqId: String) {
        #expect(lexical.match(message, in: Self.shopFAQ).matches.first?.faqId == faqId)
    }

    @Test func anEnglishQuestionIsAnsweredByTheSpanishEntryWithoutAnEncoder() {
        #expect(lexical.match("do you ship to france", in: Self.shopFAQ).answer?.faqId == "envio-internacional")
        // Sharing a concept is not enough on its own: a question about something else
        // that only mentions shipping is not answered.
        #expect(lexical.match("can i get a discount code for shipping", in: Self.shopFAQ).answer == nil)
    }

    @Test(arguments: ["quiero un descuento", "hola", "hola!! buenas tardes", "me habéis cobrado dos veces", ""])
    func aMessageNoEntryAnswersGetsNoAutomaticAnswer(message: String) {
        #expect(lexical.match(message, in: Self.shopFAQ).answer == nil)
    }

    @Test func matchesAreAtMostThreeBestFirstWithScoresBetweenZeroAndOne() {
        for message in ["envio", "cuanto tarda y cuanto cuesta el envio", "factura", "talla", "ship to france", "x"] {
            let outcome = lexical.match(message, in: Self.shopFAQ)
            #expect(outcome.matches.count <= 3)
            #expect(outcome.matches.allSatisfy { (0...1).contains($0.score) })
            #expect(zip(outcome.matches, outcome.matches.dropFirst()).allSatisfy { $0.score >= $1.score })
            if let answer = outcome.answer { #expect(answer == outcome.matches.first) }
        }
        #expect(lexical.match("envio", in: Self.shopFAQ, limit: 1).matches.count == 1)
        #expect(lexical.match("envio", in: []).matches.isEmpty)
    }

    @Test func severalQuestionsInOneMessageFindEachEntry() {
        let outcome = lexical.match("Hola! ¿Cuánto tarda en llegar? ¿Y aceptáis PayPal?", in: Self.shopFAQ)
        #expect(Set(outcome.matches.prefix(2).map(\.faqId)) == ["plazo-envio", "pago"])
    }

    @Test func twoEntriesThatAnswerDifferentlyAndMatchEquallyGiveNoAutomaticAnswer() {
        let twins = [
            FAQDocument(faqId: "a", question: "¿Hacéis envíos a Canarias?", answer: "Sí, en 5 días."),
            FAQDocument(faqId: "b", question: "¿Hacéis envíos a Canarias?", answer: "No, lo sentimos."),
        ]
        let outcome = lexical.match("¿Hacéis envíos a Canarias?", in: twins)
        #expect(outcome.matches.count == 2)
        #expect(outcome.answer == nil)
    }

    @Test func twoEntriesWithTheSameAnswerDoNotBlockEachOther() {
        let twins = [
            FAQDocument(faqId: "a", question: "¿Hacéis envíos a Canarias?", answer: "Sí, en 5 días."),
            FAQDocument(faqId: "b", question: "¿Hacéis envíos a Canarias?", answer: "Sí, en 5 días."),
        ]
        #expect(lexical.match("¿Hacéis envíos a Canarias?", in: twins).answer?.faqId == "a")
    }

    @Test func withoutAnEncoderTheMatcherIsLexicalAndStoresNoVectors() {
        #expect(!lexical.isSemantic)
        #expect(lexical.vectors(question: "¿Cuánto tarda?", alternatives: ["¿Cuándo llega?"], answer: "2 días").isEmpty)
    }

    // MARK: - With the sentence encoder

    /// The encoder in `PARLEY_ASSIST_MODEL_DIR`; records an issue (the test fails) when the
    /// variable or the model is missing, so a run without the model never passes silently.
    static func semanticMatcher() throws -> FAQMatcher {
        guard let directory = ProcessInfo.processInfo.environment["PARLEY_ASSIST_MODEL_DIR"] else {
            Issue.record("PARLEY_ASSIST_MODEL_DIR is not set: run scripts/fetch-assist-model.sh and export it")
            throw ModelMissing()
        }
        return FAQMatcher(embedder: try SentenceEncoder.load(directory: directory))
    }

    struct ModelMissing: Error {}

    static func withVectors(_ documents: [FAQDocument], _ matcher: FAQMatcher) -> [FAQDocument] {
        documents.map { document in
            var document = document
            document.vectors = matcher.vectors(question: document.question, alternatives: document.alternatives, answer: document.answer)
            return document
        }
    }

    @Test func anEnglishQuestionIsAnsweredByTheSpanishEntry() throws {
        let matcher = try Self.semanticMatcher()
        let faq = Self.withVectors(Self.shopFAQ, matcher)
        #expect(matcher.isSemantic)
        #expect(faq.allSatisfy { $0.vectors.count == $0.alternatives.count + 2 })
        let outcome = matcher.match("do you ship to France", in: faq)
        #expect(outcome.answer?.faqId == "envio-internacional", "\(matcher.rank("do you ship to France", in: faq).prefix(3))")
        #expect(matcher.match("how much is shipping?", in: faq).matches.first?.faqId == "gastos-envio")
    }

    @Test func aParaphraseIsAnsweredAndADiscountRequestIsNot() throws {
        let matcher = try Self.semanticMatcher()
        let faq = Self.withVectors(Self.shopFAQ, matcher)
        #expect(matcher.match("cuanto tarda en llegar a sevilla??", in: faq).answer?.faqId == "plazo-envio")
        #expect(matcher.match("how long until i get my package", in: faq).matches.first?.faqId == "plazo-envio")
        #expect(matcher.match("quiero un descuento", in: faq).answer == nil)
    }

    @Test(arguments: ["me habeis cobrado dos veces", "quiero cambiar la direccion de envio", "quiero cambiar la direccion de envio del pedido q hice ayer"])
    func nearMissesNoEntryAnswersGetNoAutomaticAnswerButStillSuggestions(message: String) throws {
        let matcher = try Self.semanticMatcher()
        let faq = Self.withVectors(Self.shopFAQ, matcher)
        let outcome = matcher.match(message, in: faq)
        #expect(outcome.answer == nil, "\(matcher.assess(message, in: faq).features.map(String.init(describing:)) ?? "")")
        #expect(outcome.matches.count == 3)
    }

    @Test func aSellersOwnDiscountEntryStillAnswersADiscountQuestion() throws {
        let matcher = try Self.semanticMatcher()
        let discounts = FAQDocument(
            faqId: "descuentos", question: "¿Tenéis descuentos?", alternatives: ["¿Hay algún código promocional?"],
            answer: "Sí: un 10 % en tu primera compra con el código HOLA10.", language: .es)
        let faq = Self.withVectors(Self.shopFAQ + [discounts], matcher)
        let outcome = matcher.match("teneis descuentos?", in: faq)
        #expect(outcome.answer?.faqId == "descuentos", "\(matcher.assess("teneis descuentos?", in: faq).features.map(String.init(describing:)) ?? "")")
        // Without the entry the same question is out of scope.
        #expect(matcher.match("teneis descuentos?", in: Self.withVectors(Self.shopFAQ, matcher)).answer == nil)
    }

    @Test func theAssessmentOfAFusedMatchCarriesItsFeatures() throws {
        let matcher = try Self.semanticMatcher()
        let faq = Self.withVectors(Self.shopFAQ, matcher)
        let assessment = matcher.assess("me habeis cobrado dos veces", in: faq)
        let features = try #require(assessment.features)
        #expect(features.values.count == FAQMatchFeatures.names.count)
        #expect(features.outOfScope > features.semantic - 0.05)
        #expect(assessment.ranked.map(\.faqId) == matcher.rank("me habeis cobrado dos veces", in: faq).map(\.faqId))
        #expect(lexical.assess("cuanto tarda en llegar??", in: Self.shopFAQ).features == nil)
    }
}
