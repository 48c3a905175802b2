/// The Snowball English ("Porter2") stemmer
/// (https://snowballstem.org/algorithms/english/stemmer.html), used by message search so
/// that `shipping`, `shipped` and `ships` share the index term `ship`.
///
/// The input is one lowercase word. This follows the algorithm as revised in Snowball 3
/// (its output was compared word for word with the Snowball 3.1.1 release):
/// R1 starts after `gener`, `commun`, `arsen`, `past`, `univers`, `later`, `emerg`, `organ`
/// or `inter` when a word begins with one; `dying`, `lying`, `tying` (a consonant then
/// `ying`) become `die`, `lie`, `tie` in step 1b, which also leaves `inning`, `outing`,
/// `canning`, `herring`, `earring`, `evening`, `proceed`, `exceed` and `succeed` alone; a
/// double letter after just `a`, `e` or `o` is not undoubled (`added` → `add`); step 2
/// turns `ogist` into `og`. Every step looks only at a bounded number of suffixes at the
/// end of the word, so the work is proportional to the word's length.
public enum EnglishStemmer {
    /// The stem of one lowercase word.
    public static func stem(_ word: String) -> String {
        if let exception = exceptionalForms[word] { return exception }
        var letters = Array(word.unicodeScalars)
        guard letters.count >= 3 else { return word }

        // Prelude: drop a leading apostrophe; mark a `y` that is consonantal (at the start,
        // or after a vowel) as `Y`.
        if letters.first == "'" { letters.removeFirst() }
        var markedY = false
        for index in letters.indices where letters[index] == "y" {
            if index == 0 || isVowel(letters[index - 1]) {
                letters[index] = "Y"
                markedY = true
            }
        }

        let regions = Regions(letters)
        removePossessive(&letters)
        removePluralSuffix(&letters)
        removeEdOrIng(&letters, regions)
        replaceFinalY(&letters)
        replaceStep2Suffix(&letters, regions)
        replaceStep3Suffix(&letters, regions)
        removeStep4Suffix(&letters, regions)
        removeFinalEOrL(&letters, regions)

        if markedY {
            for index in letters.indices where letters[index] == "Y" { letters[index] = "y" }
        }
        return String(scalars: letters)
    }

    // MARK: - Exceptions

    /// Words stemmed by a table rather than by the rules.
    private static let exceptionalForms: [String: String] = [
        "skies": "sky", "idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli",
        "singly": "singl", "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas", "cosmos": "cosmos",
        "bias": "bias", "andes": "andes",
    ]

    /// Words that keep `eed` when it follows them exactly (proceed, exceed, succeed).
    private static let keepingEED = ["proc", "exc", "succ"].map { Array($0.unicodeScalars) }

    /// Words that keep `ing` when it follows them exactly (inning, outing, ...).
    private static let keepingING = ["inn", "out", "cann", "herr", "earr", "even"].map { Array($0.unicodeScalars) }

    // MARK: - Regions

    /// The start of R1 and R2 as indices into the word's scalars; a region that does not
    /// exist starts at the end of the word.
    private struct Regions {
        var r1: Int
        var r2: Int

        /// Prefixes after which R1 starts, whatever the usual rule says, so that for
        /// example `general` and `generous` do not both stem to `gener`.
        private static let r1Prefixes = [
            "gener", "commun", "arsen", "past", "univers", "later", "emerg", "organ", "inter",
        ].map { Array($0.unicodeScalars) }

        init(_ letters: [Unicode.Scalar]) {
            let count = letters.count
            // The index just past the first vowel-then-non-vowel at or after `start`.
            func pastVowelThenNonVowel(from start: Int) -> Int {
                var index = start
                while index < count, !EnglishStemmer.isVowel(letters[index]) { index += 1 }
                while index < count, EnglishStemmer.isVowel(letters[index]) { index += 1 }
                return min(index + 1, count)
            }
            if let prefix = Self.r1Prefixes.first(where: { letters.starts(with: $0) }) {
                r1 = prefix.count
            } else {
                r1 = pastVowelThenNonVowel(from: 0)
            }
            r2 = pastVowelThenNonVowel(from: r1)
        }
    }

    // MARK: - Step 0 and step 1a

    private static let possessives = SuffixTable(["'", "'s", "'s'"])

    /// Step 0: `'s'`, `'s` or `'`.
    private static func removePossessive(_ letters: inout [Unicode.Scalar]) {
        if let match = possessives.longestMatch(in: letters, endingAt: letters.count) {
            letters.removeSubrange(match.start...)
        }
    }

    private enum PluralAction {
        case replaceWithSS
        case replaceWithIOrIE
        case deleteS
        case keep
    }

    private static let pluralRules: [(suffix: String, action: PluralAction)] = [
        ("sses", .replaceWithSS), ("ied", .replaceWithIOrIE), ("ies", .replaceWithIOrIE), ("s", .deleteS),
        ("us", .keep), ("ss", .keep),
    ]
    private static let pluralSuffixes = SuffixTable(pluralRules.map(\.suffix))

    /// Step 1a.
    private static func removePluralSuffix(_ letters: inout [Unicode.Scalar]) {
        guard let match = pluralSuffixes.longestMatch(in: letters, endingAt: letters.count) else { return }
        let start = match.start
        switch pluralRules[match.index].action {
        case .replaceWithSS:
            letters.replaceSubrange(start..., with: "ss".unicodeScalars)
        case .replaceWithIOrIE:
            // `i` after more than one letter (cries → cri), otherwise `ie` (ties → tie).
            letters.replaceSubrange(start..., with: (start > 1 ? "i" : "ie").unicodeScalars)
        case .deleteS:
            // Only when a vowel comes somewhere before the letter just before the `s`
            // (gaps → gap, but gas stays).
            if start >= 2, letters[..<(start - 1)].contains(where: isVowel) { letters.removeLast() }
        case .keep:
            break
        }
    }

    // MARK: - Step 1b

    private enum EdIngAction {
        case replaceWithEE
        case delete
        /// `ing`, which has exceptions of its own.
        case deleteIng
    }

    private static let edIngRules: [(suffix: String, action: EdIngAction)] = [
        ("eed", .replaceWithEE), ("eedly", .replaceWithEE),
        ("ed", .delete), ("edly", .delete), ("ing", .deleteIng), ("ingly", .delete),
    ]
    private static let edIngSuffixes = SuffixTable(edIngRules.map(\.suffix))

    private static let endingsTakingE = SuffixTable(["at", "bl", "iz"])
    private static let doubles = SuffixTable(["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"])

    /// Step 1b.
    private static func removeEdOrIng(_ letters: inout [Unicode.Scalar], _ regions: Regions) {
        guard let match = edIngSuffixes.longestMatch(in: letters, endingAt: letters.count) else { return }
        let start = match.start
        let stem = letters[..<start]
        switch edIngRules[match.index].action {
        case .replaceWithEE:
            guard !keepingEED.contains(where: { stem.elementsEqual($0) }) else { return }
            if start >= regions.r1 { letters.replaceSubrange(start..., with: "ee".unicodeScalars) }
            return
        case .deleteIng:
            if start == 2, !isVowel(letters[0]), letters[1] == "y" {
                letters.replaceSubrange(1..., with: "ie".unicodeScalars)  // dying → die
                return
            }
            if keepingING.contains(where: { stem.elementsEqual($0) }) { return }
        case .delete:
            break
        }
        guard stem.contains(where: isVowel) else { return }
        letters.removeSubrange(start...)
        if endingsTakingE.matches(letters) {
            letters.append("e")  // luxuriat → luxuriate
        } else if let double = doubles.longestMatch(in: letters, endingAt: letters.count) {
            // hopp → hop, but add, egg and off keep their double.
            let isVowelAndDouble = double.start == 1 && ["a", "e", "o"].contains(letters[0])
            if !isVowelAndDouble { letters.removeLast() }
        } else if regions.r1 >= letters.count, endsWithShortSyllable(letters, at: letters.count) {
            letters.append("e")  // hop → hope
        }
    }

    // MARK: - Step 1c

    /// Step 1c: a final `y` after a consonant that is not the first letter becomes `i`.
    private static func replaceFinalY(_ letters: inout [Unicode.Scalar]) {
        let last = letters.count - 1
        guard last >= 2, letters[last] == "y" || letters[last] == "Y", !isVowel(letters[last - 1]) else { return }
        letters[last] = "i"
    }

    // MARK: - Steps 2 and 3

    private enum Replacement {
        case with(String)
        /// `ogi` becomes `og` after an `l`.
        case ogiAfterL
        /// `li` goes after one of c d e g h k m n r t.
        case liAfterValidEnding
        /// Delete when in R2 as well.
        case deleteInR2
    }

    private static let step2Rules: [(suffix: String, replacement: Replacement)] = [
        ("tional", .with("tion")), ("enci", .with("ence")), ("anci", .with("ance")), ("abli", .with("able")),
        ("entli", .with("ent")), ("izer", .with("ize")), ("ization", .with("ize")), ("ational", .with("ate")),
        ("ation", .with("ate")), ("ator", .with("ate")), ("alism", .with("al")), ("aliti", .with("al")),
        ("alli", .with("al")), ("fulness", .with("ful")), ("ousli", .with("ous")), ("ousness", .with("ous")),
        ("iveness", .with("ive")), ("iviti", .with("ive")), ("biliti", .with("ble")), ("bli", .with("ble")),
        ("ogist", .with("og")), ("ogi", .ogiAfterL), ("fulli", .with("ful")), ("lessli", .with("less")),
        ("li", .liAfterValidEnding),
    ]
    private static let step2Suffixes = SuffixTable(step2Rules.map(\.suffix))

    private static let step3Rules: [(suffix: String, replacement: Replacement)] = [
        ("tional", .with("tion")), ("ational", .with("ate")), ("alize", .with("al")), ("icate", .with("ic")),
        ("iciti", .with("ic")), ("ical", .with("ic")), ("ful", .with("")), ("ness", .with("")),
        ("ative", .deleteInR2),
    ]
    private static let step3Suffixes = SuffixTable(step3Rules.map(\.suffix))

    /// Step 2.
    private static func replaceStep2Suffix(_ letters: inout [Unicode.Scalar], _ regions: Regions) {
        replaceSuffix(from: step2Suffixes, step2Rules, in: &letters, regions)
    }

    /// Step 3.
    private static func replaceStep3Suffix(_ letters: inout [Unicode.Scalar], _ regions: Regions) {
        replaceSuffix(from: step3Suffixes, step3Rules, in: &letters, regions)
    }

    private static let validLIEndings = Set("cdeghkmnrt".unicodeScalars)

    /// Replaces the longest suffix from `table` when it lies in R1, as its rule says.
    private static func replaceSuffix(
        from table: SuffixTable, _ rules: [(suffix: String, replacement: Replacement)],
        in letters: inout [Unicode.Scalar], _ regions: Regions
    ) {
        guard let match = table.longestMatch(in: letters, endingAt: letters.count), match.start >= regions.r1
        else { return }
        let start = match.start
        switch rules[match.index].replacement {
        case .with(let replacement):
            letters.replaceSubrange(start..., with: replacement.unicodeScalars)
        case .ogiAfterL:
            if start >= 1, letters[start - 1] == "l" { letters.removeLast() }
        case .liAfterValidEnding:
            if start >= 1, validLIEndings.contains(letters[start - 1]) { letters.removeSubrange(start...) }
        case .deleteInR2:
            if start >= regions.r2 { letters.removeSubrange(start...) }
        }
    }

    // MARK: - Step 4

    private static let step4Deleted = [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous",
        "ive", "ize",
    ]
    /// The step 4 suffixes; the last, `ion`, goes only after an `s` or a `t`.
    private static let step4Suffixes = SuffixTable(step4Deleted + ["ion"])

    /// Step 4: the longest suffix, when it lies in R2.
    private static func removeStep4Suffix(_ letters: inout [Unicode.Scalar], _ regions: Regions) {
        guard let match = step4Suffixes.longestMatch(in: letters, endingAt: letters.count),
            match.start >= regions.r2
        else { return }
        if match.index == step4Deleted.count {
            guard match.start >= 1, letters[match.start - 1] == "s" || letters[match.start - 1] == "t" else { return }
        }
        letters.removeSubrange(match.start...)
    }

    // MARK: - Step 5

    /// Step 5: a final `e` in R2, or in R1 and not after a short syllable; a final `l` in R2
    /// after another `l`.
    private static func removeFinalEOrL(_ letters: inout [Unicode.Scalar], _ regions: Regions) {
        guard let lastLetter = letters.last else { return }
        let last = letters.count - 1
        switch lastLetter {
        case "e":
            if last >= regions.r2 || (last >= regions.r1 && !endsWithShortSyllable(letters, at: last)) {
                letters.removeLast()
            }
        case "l":
            if last >= regions.r2, last >= 1, letters[last - 1] == "l" { letters.removeLast() }
        default:
            break
        }
    }

    // MARK: - Helpers

    private static func isVowel(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a", "e", "i", "o", "u", "y": true
        default: false
        }
    }

    private static let past = Array("past".unicodeScalars)

    /// Whether `letters[..<end]` ends in a short syllable: a non-vowel, a vowel, then a
    /// non-vowel other than w, x or Y; or, at the very start of the word, a vowel then a
    /// non-vowel; or `past` (so that `pasted` stems to `paste`, not `past`).
    private static func endsWithShortSyllable(_ letters: [Unicode.Scalar], at end: Int) -> Bool {
        if end >= 4, letters[(end - 4)..<end].elementsEqual(past) { return true }
        guard end >= 2, !isVowel(letters[end - 1]), isVowel(letters[end - 2]) else { return false }
        if end == 2 { return true }
        return !isVowel(letters[end - 3]) && !["w", "x", "Y"].contains(letters[end - 1])
    }
}
