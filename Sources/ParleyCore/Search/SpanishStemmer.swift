/// The Snowball Spanish stemmer (https://snowballstem.org/algorithms/spanish/stemmer.html),
/// used by message search so that `envío`, `envíos`, `enviado` and `enviar` share one index
/// term.
///
/// The input is one lowercase word. It may keep its accents or may have been folded by
/// `TextAnalyzer.fold` (which is what search feeds it), so besides the published suffixes
/// the stemmer accepts the unaccented spelling of an accented suffix wherever that spelling
/// is not also a common ending of other words: `acion`, `ucion`, `logia(s)` in step 1 and
/// `eis`, `ais`, `arian`, `ariais`, `ariamos` (and the `er`/`ir` forms), `abamos`,
/// `ieramos`, `iesemos` in step 2b. Unaccented `ia`, `ias`, `ian`, `io`, `is`, `era`, `ere`,
/// `aria`, `iamos`, `aramos` and the like are left out on purpose: they would strip nouns
/// (`farmacia`, `precio`, `primera`, `ordinaria`) and the many `-iar`/`-arar` verbs
/// (`cambiamos`, `preparamos`) down to stems that no longer match their other forms. A
/// word that ends in none of these unaccented suffixes stems exactly as in Snowball.
///
/// Every step looks only at a bounded number of suffixes at the end of the word, so the
/// work is proportional to the word's length.
public enum SpanishStemmer {
    /// The stem of one lowercase word.
    public static func stem(_ word: String) -> String {
        var letters = Array(word.unicodeScalars)
        let regions = Regions(letters)

        removeAttachedPronoun(&letters, regions)
        if !removeStandardSuffix(&letters, regions) {
            if !removeVerbSuffixBeginningWithY(&letters, regions) {
                removeVerbSuffix(&letters, regions)
            }
        }
        removeResidualSuffix(&letters, regions)
        return String(scalars: letters.map(removingAcuteAccent))
    }

    // MARK: - Regions

    /// The start of RV, R1 and R2 as indices into the word's scalars; a region that does
    /// not exist starts at the end of the word.
    private struct Regions {
        var rv: Int
        var r1: Int
        var r2: Int

        init(_ letters: [Unicode.Scalar]) {
            let count = letters.count
            // The index just past the first vowel at or after `start`, or past the first
            // non-vowel when `wantVowel` is false.
            func past(from start: Int, wantVowel: Bool) -> Int? {
                var index = start
                while index < count {
                    if SpanishStemmer.isVowel(letters[index]) == wantVowel { return index + 1 }
                    index += 1
                }
                return nil
            }

            rv = count
            if count >= 2 {
                let firstIsVowel = SpanishStemmer.isVowel(letters[0])
                let secondIsVowel = SpanishStemmer.isVowel(letters[1])
                if !secondIsVowel {
                    // Second letter a consonant: RV follows the next vowel.
                    rv = past(from: 2, wantVowel: true) ?? count
                } else if firstIsVowel {
                    // Two vowels: RV follows the next consonant.
                    rv = past(from: 2, wantVowel: false) ?? count
                } else if count >= 3 {
                    // Consonant then vowel: RV follows the third letter.
                    rv = 3
                }
            }

            r1 = count
            r2 = count
            if let vowel = past(from: 0, wantVowel: true), let end = past(from: vowel, wantVowel: false) {
                r1 = end
                if let vowel2 = past(from: end, wantVowel: true), let end2 = past(from: vowel2, wantVowel: false) {
                    r2 = end2
                }
            }
        }
    }

    // MARK: - Step 0: attached pronoun

    private enum PronounBase {
        /// An accented gerund or infinitive: the pronoun goes and the accent is removed.
        case accented(replacement: String)
        /// A plain gerund or infinitive: the pronoun goes.
        case plain
        /// `yendo`, which counts only after a `u`.
        case yendo
    }

    private static let pronouns = SuffixTable([
        "me", "se", "sela", "selo", "selas", "selos", "la", "le", "lo", "las", "les", "los", "nos",
    ])

    private static let pronounBaseRules: [(suffix: String, base: PronounBase)] = [
        ("iéndo", .accented(replacement: "iendo")), ("ándo", .accented(replacement: "ando")),
        ("ár", .accented(replacement: "ar")), ("ér", .accented(replacement: "er")),
        ("ír", .accented(replacement: "ir")),
        ("ando", .plain), ("iendo", .plain), ("ar", .plain), ("er", .plain), ("ir", .plain),
        ("yendo", .yendo),
    ]
    private static let pronounBases = SuffixTable(pronounBaseRules.map(\.suffix))

    /// Step 0: a pronoun attached to a gerund or infinitive that lies in RV.
    private static func removeAttachedPronoun(_ letters: inout [Unicode.Scalar], _ regions: Regions) {
        guard let pronoun = pronouns.longestMatch(in: letters, endingAt: letters.count),
            let base = pronounBases.longestMatch(in: letters, endingAt: pronoun.start),
            base.start >= regions.rv
        else { return }
        switch pronounBaseRules[base.index].base {
        case .accented(let replacement):
            letters.replaceSubrange(base.start..., with: replacement.unicodeScalars)
        case .plain:
            letters.removeSubrange(pronoun.start...)
        case .yendo:
            if base.start > 0, letters[base.start - 1] == "u" { letters.removeSubrange(pronoun.start...) }
        }
    }

    // MARK: - Step 1: standard suffix

    private enum StandardAction {
        case deleteInR2
        /// Delete in R2, then a preceding `ic` in R2.
        case deleteInR2ThenIC
        case replaceInR2(with: String)
        /// Delete in R1, then a preceding `iv` (and an `at` before that), `os`, `ic` or `ad`
        /// in R2.
        case amente
        /// Delete in R2, then a preceding `ante`, `able` or `ible` in R2.
        case mente
        /// Delete in R2, then a preceding `abil`, `ic` or `iv` in R2.
        case idad
        /// Delete in R2, then a preceding `at` in R2.
        case iva
    }

    private static let standardRules: [(suffix: String, action: StandardAction)] = {
        var rules: [(suffix: String, action: StandardAction)] = []
        func add(_ suffixes: [String], _ action: StandardAction) {
            rules += suffixes.map { ($0, action) }
        }
        add(
            [
                "anza", "anzas", "ico", "ica", "icos", "icas", "ismo", "ismos", "able", "ables", "ible", "ibles", "ista",
                "istas", "oso", "osa", "osos", "osas", "amiento", "amientos", "imiento", "imientos",
            ], .deleteInR2)
        add(
            ["adora", "ador", "ación", "adoras", "adores", "aciones", "ante", "antes", "ancia", "ancias", "acion"],
            .deleteInR2ThenIC)
        add(["logía", "logías", "logia", "logias"], .replaceInR2(with: "log"))
        add(["ución", "uciones", "ucion"], .replaceInR2(with: "u"))
        add(["encia", "encias"], .replaceInR2(with: "ente"))
        add(["amente"], .amente)
        add(["mente"], .mente)
        add(["idad", "idades"], .idad)
        add(["iva", "ivo", "ivas", "ivos"], .iva)
        return rules
    }()
    private static let standardSuffixes = SuffixTable(standardRules.map(\.suffix))

    private static let amenteFollowers = SuffixTable(["iv", "os", "ic", "ad"])
    private static let menteFollowers = SuffixTable(["ante", "able", "ible"])
    private static let idadFollowers = SuffixTable(["abil", "ic", "iv"])
    private static let ic = SuffixTable(["ic"])
    private static let at = SuffixTable(["at"])

    /// Step 1. Returns whether an ending was removed (or replaced).
    private static func removeStandardSuffix(_ letters: inout [Unicode.Scalar], _ regions: Regions) -> Bool {
        guard let match = standardSuffixes.longestMatch(in: letters, endingAt: letters.count) else { return false }
        let start = match.start
        let action = standardRules[match.index].action
        if case .amente = action {
            guard start >= regions.r1 else { return false }
        } else {
            guard start >= regions.r2 else { return false }
        }
        switch action {
        case .deleteInR2:
            letters.removeSubrange(start...)
        case .deleteInR2ThenIC:
            letters.removeSubrange(start...)
            removeSuffix(in: ic, from: &letters, inRegionFrom: regions.r2)
        case .replaceInR2(let replacement):
            letters.replaceSubrange(start..., with: replacement.unicodeScalars)
        case .amente:
            letters.removeSubrange(start...)
            if removeSuffix(in: amenteFollowers, from: &letters, inRegionFrom: regions.r2) == "iv" {
                removeSuffix(in: at, from: &letters, inRegionFrom: regions.r2)
            }
        case .mente:
            letters.removeSubrange(start...)
            removeSuffix(in: menteFollowers, from: &letters, inRegionFrom: regions.r2)
        case .idad:
            letters.removeSubrange(start...)
            removeSuffix(in: idadFollowers, from: &letters, inRegionFrom: regions.r2)
        case .iva:
            letters.removeSubrange(start...)
            removeSuffix(in: at, from: &letters, inRegionFrom: regions.r2)
        }
        return true
    }

    // MARK: - Step 2a: verb suffixes beginning with y

    private static let yVerbSuffixes = SuffixTable([
        "ya", "ye", "yan", "yen", "yeron", "yendo", "yo", "yó", "yas", "yes", "yais", "yamos",
    ])

    /// Step 2a: the longest of these suffixes lying in RV, when a `u` comes before it.
    /// Returns whether an ending was removed.
    private static func removeVerbSuffixBeginningWithY(_ letters: inout [Unicode.Scalar], _ regions: Regions) -> Bool {
        guard let match = yVerbSuffixes.longestMatch(in: letters, endingAt: letters.count, notBefore: regions.rv),
            match.start > 0, letters[match.start - 1] == "u"
        else { return false }
        letters.removeSubrange(match.start...)
        return true
    }

    // MARK: - Step 2b: other verb suffixes

    /// Suffixes whose removal also drops the `u` of a preceding `gu`.
    private static let verbSuffixesAfterGU = ["en", "es", "éis", "emos", "eis"]

    private static let verbSuffixesPublished = [
        "arían", "arías", "arán", "arás", "aríais", "aría", "aréis", "aríamos", "aremos", "ará", "aré",
        "erían", "erías", "erán", "erás", "eríais", "ería", "eréis", "eríamos", "eremos", "erá", "eré",
        "irían", "irías", "irán", "irás", "iríais", "iría", "iréis", "iríamos", "iremos", "irá", "iré",
        "aba", "ada", "ida", "ía", "ara", "iera", "ad", "ed", "id", "ase", "iese", "aste", "iste", "an", "aban",
        "ían", "aran", "ieran", "asen", "iesen", "aron", "ieron", "ado", "ido", "ando", "iendo", "ió", "ar",
        "er", "ir", "as", "abas", "adas", "idas", "ías", "aras", "ieras", "ases", "ieses", "ís", "áis", "abais",
        "íais", "arais", "ierais", "aseis", "ieseis", "asteis", "isteis", "ados", "idos", "amos", "ábamos",
        "íamos", "imos", "áramos", "iéramos", "iésemos", "ásemos",
    ]

    /// Unaccented spellings that are not also common endings of nouns, adjectives or other
    /// verbs (see the type's documentation).
    private static let verbSuffixesUnaccented = [
        "arian", "ariais", "ariamos", "erian", "eriais", "eriamos", "irian", "iriais", "iriamos", "ais", "abamos",
        "ieramos", "iesemos",
    ]

    private static let verbSuffixes = SuffixTable(verbSuffixesAfterGU + verbSuffixesPublished + verbSuffixesUnaccented)

    /// Step 2b: the longest verb suffix lying in RV.
    private static func removeVerbSuffix(_ letters: inout [Unicode.Scalar], _ regions: Regions) {
        guard let match = verbSuffixes.longestMatch(in: letters, endingAt: letters.count, notBefore: regions.rv)
        else { return }
        var start = match.start
        let dropsUAfterG = match.index < verbSuffixesAfterGU.count
        if dropsUAfterG, start >= 2, letters[start - 1] == "u", letters[start - 2] == "g" { start -= 1 }
        letters.removeSubrange(start...)
    }

    // MARK: - Step 3: residual suffix

    private static let residualSuffixesDeleted = ["os", "a", "o", "á", "í", "ó"]
    /// Suffixes whose removal also drops the `u` of a preceding `gu` when that `u` is in RV.
    private static let residualSuffixesAfterGU = ["e", "é"]
    private static let residualSuffixes = SuffixTable(residualSuffixesDeleted + residualSuffixesAfterGU)

    /// Step 3.
    private static func removeResidualSuffix(_ letters: inout [Unicode.Scalar], _ regions: Regions) {
        guard let match = residualSuffixes.longestMatch(in: letters, endingAt: letters.count),
            match.start >= regions.rv
        else { return }
        letters.removeSubrange(match.start...)
        if match.index >= residualSuffixesDeleted.count {
            let u = letters.count - 1
            if u >= regions.rv, u >= 1, letters[u] == "u", letters[u - 1] == "g" { letters.removeLast() }
        }
    }

    // MARK: - Helpers

    private static func isVowel(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a", "e", "i", "o", "u", "á", "é", "í", "ó", "ú", "ü": true
        default: false
        }
    }

    private static func removingAcuteAccent(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar {
        case "á": "a"
        case "é": "e"
        case "í": "i"
        case "ó": "o"
        case "ú": "u"
        default: scalar
        }
    }

    /// Removes the longest suffix from `table` that ends the word, when it starts at or
    /// after `regionStart`, and returns it.
    @discardableResult
    private static func removeSuffix(
        in table: SuffixTable, from letters: inout [Unicode.Scalar], inRegionFrom regionStart: Int
    ) -> String? {
        guard let match = table.longestMatch(in: letters, endingAt: letters.count), match.start >= regionStart
        else { return nil }
        let removed = String(scalars: Array(letters[match.start...]))
        letters.removeSubrange(match.start...)
        return removed
    }
}
