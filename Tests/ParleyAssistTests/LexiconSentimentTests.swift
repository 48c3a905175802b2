import Foundation
import ParleyAssist
import ParleyCore
import Testing

/// The lexicon's hand-written rules, read alone (the word head, the lexicon's learned half,
/// is ``SentimentWordHeadTests``'s).
@Suite struct LexiconSentimentTests {
    let scorer = LexiconSentimentScorer(wordHead: nil)

    func label(_ text: String) -> SentimentLabel { scorer.read(text).sentiment.label }
    func score(_ text: String) -> Double { scorer.read(text).score }

    // MARK: - The and the contract's examples

    @Test func aLongWaitAndAFraudAccusationIsStronglyNegative() {
        let reading = scorer.read("llevo dos semanas esperando, esto es una estafa")
        #expect(reading.sentiment.label == .negative)
        #expect(reading.score <= EscalationPolicy.stronglyNegativeScore)
        #expect(reading.language == .es)
    }

    @Test func notBadThanksIsNotNegative() {
        #expect(label("no está mal, gracias") != .negative)
        #expect(score("no está mal, gracias") > 0)
    }

    @Test(arguments: ["no tengo ninguna queja", "not bad at all", "no está mal", "can't complain", "ni un fallo, perfecto"])
    func aNegatedComplaintIsPositive(text: String) {
        #expect(label(text) == .positive)
    }

    @Test(arguments: ["no me gusta", "no me gusta nada", "not happy", "I wouldn't recommend it", "not worth the money"])
    func negatedPraiseIsNegative(text: String) {
        #expect(label(text) == .negative)
    }

    @Test(arguments: ["todavía no ha llegado", "never arrived", "nadie me contesta", "sin respuesta desde el lunes", "it doesn't work"])
    func aNegatedEventIsAComplaint(text: String) {
        #expect(label(text) == .negative)
    }

    @Test(arguments: ["no tengo prisa", "no need for an invoice", "no hace falta factura"])
    func aNegationWithoutAJudgementIsNeutral(text: String) {
        #expect(label(text) == .neutral)
    }

    // MARK: - Contrast

    @Test func theClauseAfterButWins() {
        #expect(label("bonitas, pero la talla es pequeña") == .negative)
        #expect(label("tardó un poco pero vale la pena") == .positive)
        #expect(label("looks great but it broke after a day") == .negative)
        #expect(label("me gusta, aunque el color no es el de la foto") == .negative)
    }

    @Test func anOpeningConcessionGivesWayToTheMainClause() {
        #expect(label("aunque tardó, llegó perfecto") == .positive)
        #expect(label("although it took a while, it's perfect") == .positive)
    }

    // MARK: - Intensity, emoji, irony

    @Test func intensifiersStrengthenAndDiminishersSoften() {
        #expect(score("muy bonito") > score("bonito"))
        #expect(score("really bad") < score("bad"))
        #expect(score("un poco pequeño, la verdad es mala") > score("muy pequeño, la verdad es mala"))
        #expect(score("a bit slow") > score("slow"))
    }

    @Test func capsElongationAndExclamationsStrengthen() {
        #expect(score("MAL") < score("mal"))
        #expect(score("graciasss, me encanta") > score("gracias, me encanta") - 0.01)
        #expect(score("me encantaaa") >= score("me encanta"))
        #expect(score("great!!!") > score("great"))
    }

    @Test func emojiAndEmoticonsCarryAJudgement() {
        #expect(label("👎") == .negative)
        #expect(label("😍") == .positive)
        #expect(label("llegó hoy :)") == .positive)
        #expect(label("sigue sin llegar :(") == .negative)
        #expect(label("ok 👍") == .neutral)
    }

    @Test(arguments: ["genial, otra semana esperando 🙄", "great, just great", "gracias por nada", "thanks for nothing", "perfecto, me ha llegado roto"])
    func ironicPraiseIsNegative(text: String) {
        #expect(label(text) == .negative)
    }

    // MARK: - The marketplace

    @Test(arguments: [
        "esto es un timo", "es un fraude", "reembolso ya", "devolvedme el dinero", "voy a hacer un chargeback",
        "abro una disputa en paypal", "os voy a denunciar", "pido la hoja de reclamaciones", "lo llevo a la OCU",
        "os denuncio a consumo", "os pongo una estrella", "total scam", "what a ripoff", "refund now",
        "I'm going to report you", "one star, never again", "sois unos ladrones",
    ])
    func fraudDisputeAndThreatsAreStronglyNegative(text: String) {
        #expect(score(text) <= EscalationPolicy.stronglyNegativeScore, "\(text): \(score(text))")
    }

    @Test(arguments: ["llega tarde", "la talla es pequeña", "llegó roto", "es defectuoso", "never arrived", "it's late", "horrible"])
    func anOrdinaryComplaintIsNegativeButNotStrong(text: String) {
        let reading = scorer.read(text)
        #expect(reading.sentiment.label == .negative, "\(text)")
        #expect(reading.score > EscalationPolicy.stronglyNegativeScore, "\(text): \(reading.score)")
    }

    @Test func aNegatedAccusationIsNotStrong() {
        #expect(score("no es ninguna estafa, llegó bien") > EscalationPolicy.stronglyNegativeScore)
    }

    @Test(arguments: [
        "¿cuándo llega?", "do you ship to France?", "¿tenéis la talla M?", "gracias", "muchas gracias", "ok thanks",
        "¿cómo hago la devolución?", "does the refund go to my card?", "te mando la dirección", "",
    ])
    func questionsLogisticsAndBareThanksAreNeutral(text: String) {
        let reading = scorer.read(text)
        #expect(reading.sentiment.label == .neutral, "\(text): \(reading.score)")
        #expect(abs(reading.score) < 0.2)
    }

    // MARK: - Problem reports without a sentiment word (the labelling rule: a reported
    // problem is negative however politely it is put)

    @Test(arguments: [
        "pedí la azul y me ha llegado la roja", "I ordered a medium and got an xl",
        "pensaba que sería más resistente", "I expected it to be bigger",
        "el ratón solo funciona con el cable puesto", "the left earbud only works sometimes",
        "perdona la molestia, la taza ha llegado con el asa rota", "sorry to bother you, the lid is cracked",
        "muy simpático, pero la caja venía abierta y mojada",
    ])
    func aReportedProblemIsNegativeButNotStrong(text: String) {
        let reading = scorer.read(text)
        #expect(reading.sentiment.label == .negative, "\(text): \(reading.score)")
        #expect(reading.score > EscalationPolicy.stronglyNegativeScore, "\(text): \(reading.score)")
    }

    @Test(arguments: [
        "¿tiene alguna mancha?", "any dents on the frame?", "solo quería saber si lo tienes en azul", "I only need one",
        "compré la talla M, ¿cuándo llega?",
    ])
    func askingAboutTheSameTopicsIsNeutral(text: String) {
        #expect(label(text) == .neutral, "\(text): \(score(text))")
    }

    @Test(arguments: ["no esperaba que fuera tan suave", "didn't expect it to be this good", "buenísimo, gracias"])
    func aNegatedExpectationAndASuperlativeArePraise(text: String) {
        #expect(label(text) == .positive, "\(text): \(score(text))")
    }

    @Test func aQuestionThatComplainsIsNegative() {
        #expect(label("¿por qué tarda tanto? llevo 12 días esperando") == .negative)
        #expect(label("why is no one answering me?") == .negative)
    }

    // MARK: - Language and features

    @Test func theLanguageIsGuessedAndSpanishWhenNothingTells() {
        #expect(scorer.read("the jacket is lovely, thanks").language == .en)
        #expect(scorer.read("la chaqueta es preciosa, gracias").language == .es)
        #expect(scorer.read("👍").language == .es)
    }

    @Test(arguments: ["", "hola", "llevo dos semanas esperando, esto es una estafa 😡😡!!!", "NOT BAD AT ALL", String(repeating: "muy bien ", count: 2_000)])
    func featuresHaveTheStableCountAndStayInRange(text: String) {
        let reading = scorer.read(text)
        #expect(LexiconSentimentScorer.featureCount == LexiconFeature.allCases.count)
        #expect(LexiconSentimentScorer.featureCount == 20)
        #expect(reading.features.count == LexiconSentimentScorer.featureCount)
        #expect(reading.features.allSatisfy { $0 >= -1 && $0 <= 1 })
        #expect(reading.score >= -1 && reading.score <= 1)
        #expect(reading.sentiment.score == reading.score)
    }

    @Test func featuresReportTheMechanismsThatFired() {
        let features = scorer.read("genial, otra semana esperando 🙄 quiero hablar con una persona").features
        #expect(features[LexiconFeature.irony.rawValue] == 1)
        #expect(features[LexiconFeature.negativeEmoji.rawValue] > 0)
        #expect(features[LexiconFeature.asksForHuman.rawValue] == 1)
        #expect(features[LexiconFeature.spanish.rawValue] == 1)
        let contrast = scorer.read("bonitas, pero la talla es pequeña").features
        #expect(contrast[LexiconFeature.contrast.rawValue] == 1)
        #expect(contrast[LexiconFeature.finalClauseValence.rawValue] < 0)
    }

    // MARK: - The labelled corpus (the tuning splits, train and dev; test.jsonl is held out)

    struct LabelledMessage: Decodable {
        var text: String
        var label: SentimentLabel
        var language: AssistLanguage
        var role: String
        var strong: Bool
    }

    static func trainSplit() throws -> [LabelledMessage] { try split("train") }

    /// One tuning split: "train" or "dev" (never "test").
    static func split(_ name: String) throws -> [LabelledMessage] {
        precondition(name != "test", "the test split is held out")
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(SentimentHeadTrainer.splitFile(name))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        return try lines.map { try JSONDecoder().decode(LabelledMessage.self, from: Data($0.utf8)) }
    }

    /// Macro-F1 over the three labels and the recall of negative messages.
    func measure(_ messages: [LabelledMessage]) -> (macroF1: Double, negativeRecall: Double) {
        var counts: [SentimentLabel: (truePositives: Int, predicted: Int, actual: Int)] = [:]
        for message in messages {
            let predicted = label(message.text)
            counts[predicted, default: (0, 0, 0)].predicted += 1
            counts[message.label, default: (0, 0, 0)].actual += 1
            if predicted == message.label { counts[predicted, default: (0, 0, 0)].truePositives += 1 }
        }
        var f1Sum = 0.0
        for label in SentimentLabel.allCases {
            let (truePositives, predicted, actual) = counts[label] ?? (0, 0, 0)
            let precision = predicted == 0 ? 0 : Double(truePositives) / Double(predicted)
            let recall = actual == 0 ? 0 : Double(truePositives) / Double(actual)
            f1Sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        }
        let negative = counts[.negative] ?? (0, 0, 1)
        return (f1Sum / Double(SentimentLabel.allCases.count), Double(negative.truePositives) / Double(negative.actual))
    }

    /// The send path's `sentiment(_:)` skips the language guess and the features; its
    /// answer must be the full reading's, message for message, on both tuning splits and
    /// on elongated, shouted, emoticon and accented text.
    @Test func theSendPathsSentimentIsTheFullReadings() throws {
        let texts = try (Self.split("train") + Self.split("dev")).map(\.text) + [
            "t=123 " + String(repeating: "x", count: 98), "graciasss :) :-( </3 ^^", "NOOOO, MUY MAL!!!",
            "buenísimo, rapidísimo y carísimo", "malísimas", "ññññ ÉXITOOO", "😡😡 estafa", "100000 unidades",
        ]
        for text in texts {
            #expect(scorer.sentiment(text) == scorer.read(text).sentiment, "\(text)")
        }
    }

    /// The bars sit a little below what the lexicon reaches on train (macro-F1 0.98,
    /// negative recall 0.98, both languages), so that a regression fails.
    @Test func theTrainSplitIsReadWellInBothLanguages() throws {
        let messages = try Self.trainSplit()
        #expect(messages.count >= 800)
        let all = measure(messages)
        #expect(all.macroF1 >= 0.95, "macro-F1 \(all.macroF1)")
        #expect(all.negativeRecall >= 0.95, "negative recall \(all.negativeRecall)")
        for language in AssistLanguage.allCases {
            let split = measure(messages.filter { $0.language == language })
            #expect(split.macroF1 >= 0.94, "\(language) macro-F1 \(split.macroF1)")
            #expect(split.negativeRecall >= 0.94, "\(language) negative recall \(split.negativeRecall)")
        }
    }

    /// The dev split was written after the test numbers showed complaints read as neutral:
    /// problem reports without a sentiment word, polite complaints, let-downs. The lexicon
    /// was tuned on it too, with rules and word families rather than its sentences; the bars
    /// sit a little below what it reaches (macro-F1 0.95, negative recall 0.91; es 0.96 /
    /// 0.92, en 0.94 / 0.90).
    @Test func theDevSplitIsReadWellInBothLanguages() throws {
        let messages = try Self.split("dev")
        #expect(messages.count >= 500)
        let all = measure(messages)
        #expect(all.macroF1 >= 0.93, "macro-F1 \(all.macroF1)")
        #expect(all.negativeRecall >= 0.89, "negative recall \(all.negativeRecall)")
        for language in AssistLanguage.allCases {
            let split = measure(messages.filter { $0.language == language })
            #expect(split.macroF1 >= 0.92, "\(language) macro-F1 \(split.macroF1)")
            #expect(split.negativeRecall >= 0.87, "\(language) negative recall \(split.negativeRecall)")
        }
    }

    @Test func strongBuyerMessagesOfTheTuningSplitsEscalateAndFewOthersDo() throws {
        let buyers = try (Self.trainSplit() + Self.split("dev")).filter { $0.role == "buyer" }
        let strong = buyers.filter(\.strong)
        let escalated = strong.filter { score($0.text) <= EscalationPolicy.stronglyNegativeScore }
        #expect(Double(escalated.count) >= 0.95 * Double(strong.count), "\(escalated.count) of \(strong.count)")
        let others = buyers.filter { !$0.strong }
        let falseAlarms = others.filter { score($0.text) <= EscalationPolicy.stronglyNegativeScore }
        #expect(Double(falseAlarms.count) <= 0.02 * Double(others.count), "\(falseAlarms.count) of \(others.count)")
    }
}
