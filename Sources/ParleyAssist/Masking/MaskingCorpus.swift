import Foundation
import ParleyCore

/// A contact-masking evaluation corpus: `Evaluation/masking/<split>.jsonl`, one message
/// a line (`Evaluation/masking/README.md` describes the files).
public struct MaskingCorpus: Sendable {
    /// One labelled message.
    public struct Message: Sendable, Decodable {
        public var id: String
        public var text: String
        /// The kinds of contact detail the message holds; empty when it holds none and
        /// must stay unchanged.
        public var expected: [MaskedContact]
        public var language: String
        /// The disguise or look-alike family ("phone-words-es", "tracking"…).
        public var kind: String
    }

    /// The splits a corpus folder holds: tune for tuning, test for the reported numbers.
    public static let splits = ["tune", "test"]

    public var messages: [Message]

    /// Reads `<directory>/<split>.jsonl`.
    public init(directory: String, split: String) throws {
        let url = URL(fileURLWithPath: directory).appendingPathComponent("\(split).jsonl")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }
        messages = try lines.map { try JSONDecoder().decode(Message.self, from: Data($0.utf8)) }
    }
}
