/// A fixed list of word endings searched for the longest one that ends a word: the
/// "among" of the Snowball stemmers. The endings are grouped by their last letter, so a
/// search only compares the few that can match; with small fixed lists, one search is a
/// bounded amount of work whatever the word.
struct SuffixTable: Sendable {
    private struct Entry: Sendable {
        var suffix: [Unicode.Scalar]
        /// Where the suffix was in the list the table was made from.
        var index: Int
    }

    /// Entries by the value of their last scalar (all suffixes here are Latin-1), each
    /// group longest suffix first so that the first match is the longest.
    private let groups: [[Entry]]

    init(_ suffixes: [String]) {
        var groups = [[Entry]](repeating: [], count: 256)
        for (index, suffix) in suffixes.enumerated() {
            let letters = Array(suffix.unicodeScalars)
            guard let last = letters.last, last.value < 256 else {
                assertionFailure("suffix tables hold non-empty Latin-1 suffixes, not \(suffix)")
                continue
            }
            groups[Int(last.value)].append(Entry(suffix: letters, index: index))
        }
        self.groups = groups.map { $0.sorted { $0.suffix.count > $1.suffix.count } }
    }

    /// The longest suffix in the table that ends `letters[..<end]`: where it starts in
    /// `letters`, and its index in the list the table was made from. With `notBefore`, only
    /// a suffix starting at or after that index counts, as when the search is confined to a
    /// region of the word.
    func longestMatch(
        in letters: [Unicode.Scalar], endingAt end: Int, notBefore: Int = 0
    )
        -> (start: Int, index: Int)?
    {
        guard end > 0, end <= letters.count else { return nil }
        let last = letters[end - 1].value
        guard last < 256 else { return nil }
        for entry in groups[Int(last)] {
            let start = end - entry.suffix.count
            guard start >= notBefore, start >= 0 else { continue }
            // The last scalar is known to match; compare the rest from the end.
            var offset = entry.suffix.count - 2
            while offset >= 0, letters[start + offset] == entry.suffix[offset] { offset -= 1 }
            if offset < 0 { return (start, entry.index) }
        }
        return nil
    }

    /// Whether some suffix in the table ends the word.
    func matches(_ letters: [Unicode.Scalar]) -> Bool {
        longestMatch(in: letters, endingAt: letters.count) != nil
    }
}

extension String {
    /// A string of these scalars. Encodes them straight to UTF-8, which is faster than
    /// appending them to a scalar view one by one.
    init(scalars: [Unicode.Scalar]) {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(scalars.count)
        for scalar in scalars {
            UTF8.encode(scalar) { utf8.append($0) }
        }
        self.init(decoding: utf8, as: UTF8.self)
    }
}
