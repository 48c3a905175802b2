import ArgumentParser
import Foundation
import ParleyAssist
import ParleyCore

/// Trains the lexicon's learned half, ``SentimentWordHead``, on the corpus's tuning splits
/// (train, dev, dev2, dev4 and dev5) and writes its table as Swift source, the one reproducible step
/// behind `SentimentWordHead.trained`: the penalty and the P(negative) threshold by 5-fold
/// cross-validation on those splits (combined with the rules' reading as the server combines
/// them), then a fit on all of them. Needs no model; reads nothing else (never dev3 or test).
struct AssistTrainSentimentWordsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-sentiment-words",
        abstract: "Train the lexicon's word weights on Evaluation/sentiment/train.jsonl, dev.jsonl, dev2.jsonl, dev4.jsonl and dev5.jsonl and write SentimentWordHeadWeights.swift.")

    @Option(parsing: .singleValue, help: "A file of training examples (JSON lines); repeat for several (default: train, dev, dev2, dev4 and dev5).")
    var data: [String] = AssistTrainSentimentCommand.defaultData

    @Option(help: "The Swift file the table is written to.")
    var output = "Sources/ParleyAssist/Sentiment/SentimentWordHeadWeights.swift"

    /// Entries a line in the generated file.
    static let weightsPerLine = 8
    static let featuresPerLine = 6

    func run() async throws {
        if let held = data.first(where: SentimentHeadTrainer.isHeldOut) {
            throw ValidationError("\(held) is a held-out split: the word head is never trained on it")
        }
        var examples: [SentimentExample] = []
        for path in data { examples += try SentimentExample.lines(String(contentsOfFile: path, encoding: .utf8)) }
        guard examples.count >= SentimentHeadTrainer.folds * 3 else { throw ValidationError("\(data) has too few examples") }
        let started = ContinuousClock.now
        let rulesOnly = LexiconSentimentScorer(wordHead: nil)
        let messages = examples.map { SentimentWordHead.features($0.text) }
        let rules = examples.map { rulesOnly.sentiment($0.text) }
        let labels = examples.map(\.label)
        print("## Sentiment word head training\n")
        print(
            "\(examples.count) examples from \(data.map { "`\($0)`" }.joined(separator: " + ")); features: stems of "
                + "\(SentimentWordHead.stemLength) letters, emoji signs, punctuation, neighbouring pairs and the length, kept when "
                + "\(SentimentWordHeadTrainer.minimumMessages)+ messages hold them; \(SentimentHeadTrainer.folds)-fold cross-validation. "
                + "For each penalty, the P(negative) threshold with the best cv macro-F1 among those with cv negative recall ≥ "
                + "\(ReportFormat.percent(SentimentHeadTrainer.targetNegativeRecall)), read together with the rules.\n")
        print("| L2 | argmax cv macro-F1 | argmax cv negative recall | threshold | cv accuracy | cv macro-F1 | cv negative recall | cv negative precision |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        var best: (l2: Double, threshold: Double, confusion: SentimentConfusion, reaches: Bool)?
        for l2 in SentimentWordHeadTrainer.penaltyCandidates {
            let probabilities = SentimentWordHeadTrainer.outOfFoldProbabilities(messages: messages, labels: labels, l2: l2)
            let chosen = SentimentHeadTrainer.chooseNegativeThreshold(
                probabilities: probabilities, lexicon: rules, labels: labels)
            var argmax = SentimentConfusion()
            for index in labels.indices {
                argmax.add(
                    actual: labels[index], predicted: SentimentHead.keepingLexiconNegative(probabilities[index], lexicon: rules[index], negativeThreshold: 0.5).label)
            }
            print(
                "| \(l2) | \(ReportFormat.decimal(argmax.macroF1)) | \(ReportFormat.percent(argmax.recall(.negative))) | \(chosen.threshold) | \(ReportFormat.percent(chosen.confusion.accuracy)) | \(ReportFormat.decimal(chosen.confusion.macroF1)) | "
                    + "\(ReportFormat.percent(chosen.confusion.recall(.negative))) | \(ReportFormat.percent(chosen.confusion.precision(.negative))) |")
            let better: Bool = {
                guard let best else { return true }
                if chosen.reachesTarget != best.reaches { return chosen.reachesTarget }
                return chosen.confusion.macroF1 > best.confusion.macroF1 + 1e-9
            }()
            if better { best = (l2, chosen.threshold, chosen.confusion, chosen.reachesTarget) }
        }
        guard let best else { return }
        print("\nChosen: L2 \(best.l2), P(negative) threshold \(best.threshold).")
        let head = SentimentWordHeadTrainer.fit(messages: messages, labels: labels, l2: best.l2, negativeThreshold: best.threshold)
        try source(head, examples: examples.count).write(toFile: output, atomically: true, encoding: .utf8)
        print("\nWrote \(head.features.count) features (\(head.weights.count) weights) to `\(output)` in \(ContinuousClock.now - started).")
    }

    /// The generated file: a header saying where it comes from, the features and the weights.
    func source(_ head: SentimentWordHead, examples: Int) -> String {
        let sources = data.joined(separator: " + ")
        var lines = [
            "// Generated by `swift run parley assist train-sentiment-words`; do not edit, run it again.",
            "// Data: \(sources) (\(examples) examples). L2 \(head.l2) and P(negative) threshold \(head.negativeThreshold), chosen by "
                + "\(SentimentHeadTrainer.folds)-fold cross-validation on the same data.",
            "// Weights: \(SentimentHead.classes.count) rows (negative, neutral, positive) of \(head.features.count) feature weights and a bias.",
            "",
            "extension SentimentWordHead {",
            "    /// The word head trained on `\(sources)`.",
            "    public static let trained = SentimentWordHead(",
            "        l2: \(head.l2), negativeThreshold: \(head.negativeThreshold), features: Self.trainedFeatures, weights: Self.trainedWeights)",
            "",
            "    private static let trainedFeatures: [String] = [",
        ]
        func literal(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        lines += ReportFormat.literalLines(head.features, perLine: Self.featuresPerLine, render: literal)
        lines += ["    ]", "", "    private static let trainedWeights: [Float] = ["]
        lines += ReportFormat.literalLines(head.weights, perLine: Self.weightsPerLine) { "\($0)" }
        lines += ["    ]", "}", ""]
        return lines.joined(separator: "\n")
    }

}
