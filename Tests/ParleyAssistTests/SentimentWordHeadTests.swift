import Foundation
import ParleyAssist
import ParleyCore
import ParleyTestSupport
import Testing

/// The lexicon's learned half: a weight per class for each word stem and stem pair, trained
/// on the tuning splits, read together with the rules.
@Suite struct SentimentWordHeadTests {
    let lexicon = LexiconSentimentScorer()
    let rules = LexiconSentimentScorer(wordHead: nil)

    static func split(_ name: String) throws -> [SentimentExample] {
        precondition(name != "test", "the test split is held out")
        let url = SentimentClassifierTests.repositoryRoot.appendingPathComponent(SentimentHeadTrainer.splitFile(name))
        return try SentimentExample.lines(String(contentsOf: url, encoding: .utf8))
    }

    @Test func theWordsOfAComplaintWithoutASentimentWordMakeItNegative() {
        // Problem reports the rules read as neutral: nothing in them is a sentiment word.
        for text in ["the tracking has said the same thing since last monday", "me han mandado las instrucciones en aleman"] {
            #expect(rules.read(text).sentiment.label != .negative, "\(text)")
            #expect(lexicon.read(text).sentiment.label == .negative, "\(text)")
        }
        // What the rules read as negative stays negative, with their score; strong stays strong.
        let strong = lexicon.read("llevo dos semanas esperando, esto es una estafa")
        #expect(strong.sentiment.label == .negative && strong.sentiment.score <= EscalationPolicy.stronglyNegativeScore)
        #expect(strong.rules == rules.read("llevo dos semanas esperando, esto es una estafa").sentiment)
        // Praise and calm stay what they are.
        #expect(lexicon.read("no está mal, gracias").sentiment.label != .negative)
        #expect(lexicon.read("todo perfecto, muchas gracias!!").sentiment.label == .positive)
        #expect(lexicon.read("arrived today, works perfectly, thank you").sentiment.label == .positive)
    }

    /// `sentiment(_:)` and the review's `reread(_:rules:checkingForHuman:)` (from the rules'
    /// reading the send stored) answer what the full reading does.
    @Test func theShortReadingsAreTheFullReadings() throws {
        let texts = try Self.split("dev3").prefix(200).map(\.text) + ["", "👍", "NOOOO, MUY MAL!!!", "ok"]
        for text in texts {
            let full = lexicon.read(text).sentiment
            #expect(lexicon.sentiment(text) == full, "\(text)")
            let reread = lexicon.reread(text, rules: rules.sentiment(text), checkingForHuman: true)
            #expect(reread.sentiment == full, "\(text)")
            #expect(reread.asksForHuman == lexicon.read(text).asksForHuman, "\(text)")
        }
    }

    /// Complaints are longer than answers, so the commonest words ("la", "si", ",") lean
    /// negative in the corpus; the length feature takes that lean, and a short reply made of
    /// them is no complaint (after a mild one it would be a second negative in a row: an
    /// escalation of a calm buyer).
    @Test func aShortReplyOfCommonWordsIsNoComplaint() {
        for text in ["sí, la azul", "vale, el lunes", "aquí la tienes", "si, la de la foto", "yes please, the blue one", "here it is"] {
            #expect(lexicon.read(text).sentiment.label != .negative, "\(text)")
        }
        #expect(SentimentWordHead.features("ok").contains("#len 1-3"))
        #expect(SentimentWordHead.features("llevo dos semanas esperando y nadie me contesta nada").contains("#len 7-10"))
        // Short complaints still read as complaints.
        for text in ["no ha llegado", "sigue sin llegar", "still not here", "llegó roto"] {
            #expect(lexicon.read(text).sentiment.label == .negative, "\(text)")
        }
    }

    /// Most people leave out the opening "¿" and "¡"; those who write them read the same.
    @Test func openingQuestionAndExclamationMarksChangeNothing() {
        for (with, without) in [
            ("¿cuándo me llega el pedido?", "cuándo me llega el pedido?"), ("¡muchas gracias, todo perfecto!", "muchas gracias, todo perfecto!"),
            ("hola. ¿me lo mandas a Sevilla? ¡gracias!", "hola. me lo mandas a Sevilla? gracias!"),
        ] {
            #expect(SentimentWordHead.features(with) == SentimentWordHead.features(without), "\(with)")
            #expect(lexicon.read(with).sentiment.label == lexicon.read(without).sentiment.label, "\(with)")
        }
        #expect(lexicon.read("¿me lo puedes mandar el lunes?").sentiment.label == .neutral)
        #expect(lexicon.read("¡Muchas gracias por tu compra, te va a encantar!").sentiment.label != .negative)
    }

    /// dev3 was written after the rules' last tuning and never trained on: a fresh check.
    /// The word head lifts negative recall from the rules' 78 % to 99 % there (es 100 %,
    /// en 98.9 %; macro-F1 0.89 / 0.91); the bars sit a little below, so that a regression fails.
    @Test func theCheckSplitIsReadWellInBothLanguages() throws {
        let examples = try Self.split("dev3")
        #expect(examples.count >= 400)
        for language in AssistLanguage.allCases {
            var withWords = SentimentConfusion()
            var rulesAlone = SentimentConfusion()
            for example in examples where example.language == language {
                withWords.add(actual: example.label, predicted: lexicon.sentiment(example.text).label)
                rulesAlone.add(actual: example.label, predicted: rules.sentiment(example.text).label)
            }
            #expect(withWords.macroF1 >= 0.86, "\(language) macro-F1 \(withWords.macroF1)")
            #expect(withWords.recall(.negative) >= 0.96, "\(language) negative recall \(withWords.recall(.negative))")
            #expect(withWords.recall(.negative) >= rulesAlone.recall(.negative) + 0.1, "\(language): the word head adds recall")
        }
    }

    @Test func theTrainerLearnsWhatAWordMeansAndLeavesOutWhatOneMessageSays() {
        var messages: [Set<String>] = []
        var labels: [SentimentLabel] = []
        for index in 0..<30 {
            let (word, label): (String, SentimentLabel) = [("grumbles", .negative), ("shrug", .neutral), ("cheers", .positive)][index % 3]
            messages.append(SentimentWordHead.features("\(word) item \(index)"))
            labels.append(label)
        }
        messages.append(SentimentWordHead.features("hapax item"))
        labels.append(.neutral)
        let head = SentimentWordHeadTrainer.fit(messages: messages, labels: labels, l2: 0.0001)
        #expect(!head.features.contains("hapax"), "a feature of one message is not learned")
        #expect(head.features.contains("grumb") && head.features.contains("cheer"))
        let negative = head.probabilities("grumbles item again")
        let positive = head.probabilities("cheers item again")
        #expect(negative[0] > negative[1] && negative[0] > negative[2], "\(negative)")
        #expect(positive[2] > positive[0] && positive[2] > positive[1], "\(positive)")
    }

    @Test func theCommittedTableIsReproducedFromTheTuningSplits() async throws {
        var examples: [SentimentExample] = []
        for split in SentimentHeadTrainer.tuningSplits { examples += try Self.split(split) }
        let trained = SentimentWordHead.trained
        let corpus = examples
        let retrained = try await offThePool {
            SentimentWordHeadTrainer.fit(
                messages: corpus.map { SentimentWordHead.features($0.text) }, labels: corpus.map(\.label), l2: trained.l2,
                negativeThreshold: trained.negativeThreshold)
        }
        #expect(retrained.features == trained.features, "run `swift run parley assist train-sentiment-words` and commit the table")
        try #require(retrained.weights.count == trained.weights.count)
        let worst = zip(retrained.weights, trained.weights).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst <= SentimentClassifierTests.reproductionTolerance, "run `swift run parley assist train-sentiment-words` and commit the table")
    }
}
