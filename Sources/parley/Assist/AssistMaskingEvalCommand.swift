import ArgumentParser
import Foundation
import ParleyAssist
import ParleyCore

/// Measures contact masking on its evaluation corpus: recall on messages with contact
/// details, false positives on messages without, per-kind counts, the misses, and the cost
/// of masking one message. Prints Markdown for docs/benchmarks.md.
struct AssistMaskingEvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-masking",
        abstract: "Recall, false positives and cost of contact masking on the evaluation corpus.")

    @Option(help: "The corpus folder (tune.jsonl, test.jsonl).")
    var set = "Evaluation/masking"

    @Option(help: "Which messages to score: test (the reported numbers) or tune.")
    var split = "test"

    @Option(help: "Times the whole split is masked for the cost figures (after one warm-up round).")
    var rounds = 20

    /// Targets of issue 13.
    static let targetRecall = 0.98
    static let targetFalsePositiveRate = 0.01
    static let targetMilliseconds = 1.0

    func run() async throws {
        guard MaskingCorpus.splits.contains(split) else { throw ValidationError("--split is tune or test") }
        guard (1...1_000).contains(rounds) else { throw ValidationError("--rounds 1–1000") }
        let corpus = try MaskingCorpus(directory: set, split: split)
        let masker = ContactMasker()
        let evaluation = MaskingEvaluation(corpus: corpus, masker: masker)
        let positives = evaluation.withContacts.count
        let negatives = evaluation.withoutContacts.count
        print("## Contact masking, \(split) split (\(corpus.messages.count) messages: \(positives) with contact details, \(negatives) without)\n")
        print("Command: `parley assist eval-masking --split \(split) --rounds \(rounds)`.\n")
        print("| measure | value | target |")
        print("|---|---:|---:|")
        print(
            "| recall (messages with contacts fully masked) | \(ReportFormat.percent(evaluation.recall)) (\(positives - evaluation.misses.count)/\(positives)) | ≥ \(ReportFormat.percent(Self.targetRecall)) |"
        )
        print(
            "| false positives (messages without contacts changed) | \(ReportFormat.percent(evaluation.falsePositiveRate)) (\(evaluation.falsePositives.count)/\(negatives)) | ≤ \(ReportFormat.percent(Self.targetFalsePositiveRate)) |"
        )
        let timings = cost(of: corpus, masker: masker)
        print("| mean cost per message | \(Timings.microseconds(timings.mean)) | < 1 ms |")
        print("| p99 cost per message | \(Timings.microseconds(timings.percentile(99))) | < 1 ms |")
        print("| slowest message | \(Timings.microseconds(timings.slowest)) | |\n")
        print("Per kind (a message counts once per kind it holds):\n")
        print("| kind | messages | masked as that kind | reported where not expected |")
        print("|---|---:|---:|---:|")
        let counts = evaluation.kindCounts
        for kind in MaskedContact.allCases {
            let count = counts[kind] ?? MaskingEvaluation.KindCount()
            print("| \(kind.rawValue) | \(count.expected) | \(count.found) | \(count.unexpected) |")
        }
        print("\nBy language:\n")
        print("| language | recall | false positives |")
        print("|---|---:|---:|")
        for language in ["es", "en"] {
            let with = evaluation.withContacts.filter { $0.message.language == language }
            let without = evaluation.withoutContacts.filter { $0.message.language == language }
            print(
                "| \(language) | \(ReportFormat.percent(ratio(with.filter(\.isFullyMasked).count, with.count))) (\(with.filter(\.isFullyMasked).count)/\(with.count)) | "
                    + "\(ReportFormat.percent(ratio(without.filter(\.isChanged).count, without.count))) (\(without.filter(\.isChanged).count)/\(without.count)) |")
        }
        print("\nMisses (contact details not fully masked):\n")
        if evaluation.misses.isEmpty { print("none") }
        for outcome in evaluation.misses {
            let expected = outcome.message.expected.map(\.rawValue).joined(separator: ",")
            let found = outcome.result.kinds.map(\.rawValue).joined(separator: ",")
            print(
                "- \(outcome.message.id) [\(outcome.message.kind)] expected \(expected), found \(found.isEmpty ? "nothing" : found)"
                    + "\(outcome.leftover.map { ", left: \($0)" } ?? ""): `\(outcome.message.text)` → `\(outcome.result.text)`")
        }
        print("\nFalse positives (messages without contact details that were changed):\n")
        if evaluation.falsePositives.isEmpty { print("none") }
        for outcome in evaluation.falsePositives {
            print("- \(outcome.message.id) [\(outcome.message.kind)]: `\(outcome.message.text)` → `\(outcome.result.text)`")
        }
    }

    /// Every message of the split masked `rounds` times after a warm-up round, each timed
    /// alone; sorted.
    private func cost(of corpus: MaskingCorpus, masker: ContactMasker) -> Timings {
        let clock = ContinuousClock()
        var durations: [Duration] = []
        durations.reserveCapacity(corpus.messages.count * rounds)
        for round in 0...rounds {
            for message in corpus.messages {
                var result: MaskingResult?
                let elapsed = clock.measure { result = masker.mask(message.text) }
                precondition(result != nil)
                if round > 0 { durations.append(elapsed) }
            }
        }
        return Timings(durations)
    }

    private func ratio(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
}
