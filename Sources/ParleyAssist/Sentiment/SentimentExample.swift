import Foundation
import ParleyCore

/// One labelled message of the sentiment corpus (`Evaluation/sentiment/*.jsonl`, one JSON
/// object a line).
public struct SentimentExample: Sendable, Decodable {
    public var id: String
    public var text: String
    public var label: SentimentLabel
    public var language: AssistLanguage
    public var role: String?
    public var kind: String?
    /// Whether the message alone should escalate (strongly negative).
    public var strong: Bool?

    /// The examples of a JSON-lines text; blank lines are skipped.
    public static func lines(_ text: String) throws -> [SentimentExample] {
        try text.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.map {
            try JSONDecoder().decode(SentimentExample.self, from: Data($0.utf8))
        }
    }
}
