/// A word of a `MaskingText`: a maximal run of letters, digits and `_` in its folded
/// bytes, with the folded text to compare against the vocabularies.
struct MaskingToken {
    var start: Int
    var end: Int
    var text: String
    var hasLetter: Bool
    var hasDigit: Bool

    /// Only digits (and `_` between them): a number as written (`612`, `2025`, `6_1_2`).
    var isNumeric: Bool { hasDigit && !hasLetter }
}
