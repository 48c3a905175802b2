import Foundation
import ParleyAssist
import ParleyCore
import ParleyTestSupport
import Testing

/// The combined sentiment classifier (lexicon + the head on the sentence encoder) on the
/// issue's messages, the head's refusal of vectors it was not trained for, and its
/// training: on a synthetic set, and the committed weights against a fresh run on the
/// corpus's tuning splits (train and dev). Needs the model (`PARLEY_ASSIST_MODEL_DIR`, see
/// ``AssistTestModel``). Training and encoding a corpus take seconds of CPU: they run
/// `offThePool`, so tests running beside them keep the cooperative pool.
@Suite struct SentimentClassifierTests {
    /// How far a retrained weight may be from the committed one: the weights are written
    /// exactly (shortest round-trip literals), so anything above rounding means the
    /// training, the corpus or the encoder changed without the file being regenerated.
    static let reproductionTolerance: Float = 1e-4

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private func classifier() throws -> SentimentClassifier {
        SentimentClassifier(embedder: try AssistTestModel.encoder())
    }

    @Test func aSwindledBuyerIsNegativeEnoughToEscalate() throws {
        let classifier = try classifier()
        #expect(classifier.usesHead)
        let assessment = classifier.assess("llevo dos semanas esperando, esto es una estafa")
        #expect(assessment.sentiment.label == .negative)
        #expect(assessment.sentiment.score <= EscalationPolicy.stronglyNegativeScore)
        #expect(assessment.language == .es)
        #expect(
            EscalationPolicy.reason(sentiment: assessment.sentiment, asksForHuman: assessment.asksForHuman, previousBuyerSentiment: nil)
                == .negativeSentiment)
    }

    @Test func negatedComplaintWithThanksIsNotNegative() throws {
        let assessment = try classifier().assess("no está mal, gracias")
        #expect(assessment.sentiment.label != .negative, "\(assessment)")
    }

    @Test(arguments: ["¿Hacéis envíos a Canarias?", "Do you have this jacket in size M?"])
    func aPlainQuestionIsNeutral(_ text: String) throws {
        let assessment = try classifier().assess(text)
        #expect(assessment.sentiment.label == .neutral, "\(assessment)")
    }

    @Test func headRefusesAnEncoderOrLexiconItWasNotTrainedFor() throws {
        let encoder = try AssistTestModel.encoder()
        #expect(SentimentHead.trained.accepts(embedder: encoder))

        var otherDimension = SentimentHead.trained
        otherDimension.dimension = encoder.dimension / 2
        var otherModel = SentimentHead.trained
        otherModel.modelName = "another-encoder-1.0"
        for head in [otherDimension, otherModel] {
            let classifier = SentimentClassifier(embedder: encoder, head: head)
            #expect(!classifier.usesHead)
            let text = "llevo dos semanas esperando, esto es una estafa"
            let assessment = classifier.assess(text)
            #expect(assessment.sentiment == assessment.lexicon)
            #expect(assessment == SentimentClassifier(embedder: nil).assess(text))
        }
        #expect(!SentimentHead.trained.accepts(embedder: encoder, lexiconFeatureCount: LexiconSentimentScorer.featureCount + 1))
    }

    @Test func theNegativeThresholdFavoursNegativesButKeepsMildScores() {
        let mildComplaint = Sentiment(label: .neutral, score: 0)
        let probabilities = [0.3, 0.55, 0.15]
        #expect(SentimentHead.combined(probabilities, lexicon: mildComplaint).label == .neutral)
        let favoured = SentimentHead.combined(probabilities, lexicon: mildComplaint, negativeThreshold: 0.25)
        #expect(favoured.label == .negative)
        #expect(favoured.score > EscalationPolicy.stronglyNegativeScore, "a complaint the head only suspects does not escalate alone")
        // The most probable class still wins over a threshold it does not need.
        #expect(SentimentHead.combined([0.6, 0.3, 0.1], lexicon: mildComplaint, negativeThreshold: 0.9).label == .negative)
        // Strong lexicon vocabulary keeps its score whatever the head says.
        let strong = Sentiment(label: .negative, score: -0.8)
        #expect(SentimentHead.combined([0.05, 0.05, 0.9], lexicon: strong, negativeThreshold: 0.3) == strong)
        #expect(SentimentHead.trained.negativeThreshold <= 0.5)
    }

    @Test func trainingSeparatesASyntheticSet() {
        // Three classes, each lifting its own third of 12 coordinates, plus a deterministic wobble.
        let dimension = 12
        var labels: [SentimentLabel] = []
        var inputs: [[Float]] = []
        for index in 0..<90 {
            let target = index % 3
            labels.append(SentimentHead.classes[target])
            let vector = (0..<dimension).map { column in
                Float(column / 4 == target ? 1 : 0) + Float(sin(Double(index * 7 + column * 13))) * 0.3
            }
            inputs.append(vector + [Float(target == 0 ? 1 : 0)])
        }
        let head = SentimentHeadTrainer.fit(
            inputs: inputs, labels: labels, l2: 0.01, lexiconPenaltyScale: 1, modelName: "synthetic", dimension: dimension, lexiconFeatureCount: 1)
        #expect(head.weights.count == 3 * (dimension + 2))
        let predicted = inputs.map { input in
            let probabilities = head.probabilities(input)
            return SentimentHead.classes[probabilities.indices.max { probabilities[$0] < probabilities[$1] }!]
        }
        #expect(predicted == labels)

        let outOfFold = SentimentHeadTrainer.outOfFoldProbabilities(
            inputs: inputs, labels: labels, l2: 0.01, lexiconPenaltyScale: 1, modelName: "synthetic", dimension: dimension, lexiconFeatureCount: 1)
        let heldOutCorrect = inputs.indices.filter { index in
            let probabilities = outOfFold[index]
            return SentimentHead.classes[probabilities.indices.max { probabilities[$0] < probabilities[$1] }!] == labels[index]
        }
        #expect(heldOutCorrect.count >= 85)
    }

    @Test func committedWeightsAreReproducedFromTheTuningSplits() async throws {
        let encoder = try AssistTestModel.encoder()
        let trained = SentimentHead.trained
        var examples: [SentimentExample] = []
        // The splits `parley assist train-sentiment` trains on by default, in its order.
        for split in SentimentHeadTrainer.tuningSplits.map({ SentimentHeadTrainer.splitFile($0) }) {
            examples += try SentimentExample.lines(String(contentsOf: Self.repositoryRoot.appendingPathComponent(split), encoding: .utf8))
        }
        let corpus = examples
        let retrained = try await offThePool {
            let scorer = LexiconSentimentScorer()
            let inputs = zip(encoder.embed(corpus.map(\.text)), corpus).map {
                SentimentHead.input(vector: $0, lexiconFeatures: scorer.read($1.text).features)
            }
            return SentimentHeadTrainer.fit(
                inputs: inputs, labels: corpus.map(\.label), l2: trained.l2, lexiconPenaltyScale: trained.lexiconPenaltyScale,
                modelName: encoder.modelName, dimension: encoder.dimension, lexiconFeatureCount: LexiconSentimentScorer.featureCount)
        }
        #expect(retrained.modelName == trained.modelName && retrained.dimension == trained.dimension)
        #expect(retrained.lexiconFeatureCount == trained.lexiconFeatureCount)
        try #require(retrained.weights.count == trained.weights.count)
        let worst = zip(retrained.weights, trained.weights).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst <= Self.reproductionTolerance, "run `swift run parley assist train-sentiment` and commit the weights")
    }
}
