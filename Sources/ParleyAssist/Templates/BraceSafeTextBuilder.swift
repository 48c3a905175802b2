/// Accumulates rendered text so that it never holds two `{` in a row.
///
/// Values and fallbacks are inserted as given, except that a space goes between any two
/// adjacent `{` — inside a value (`{{orderId}}` as a buyer's name) or where a value ends
/// with `{` and the text after it starts with one. The contract promises that a rendered
/// text never contains `{{`, so a rendered reply cannot smuggle a placeholder into a
/// later template or client. Literal template text never holds `{{` (the parser opens a
/// placeholder at each), so only inserted text is ever changed.
struct BraceSafeTextBuilder {
    private var scalars = String.UnicodeScalarView()
    private var endsWithOpeningBrace = false

    mutating func append(_ text: String) {
        for scalar in text.unicodeScalars {
            let isOpeningBrace = scalar == "{"
            if isOpeningBrace && endsWithOpeningBrace {
                scalars.append(" ")
            }
            scalars.append(scalar)
            endsWithOpeningBrace = isOpeningBrace
        }
    }

    var text: String { String(scalars) }
}
