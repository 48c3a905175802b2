import ParleyCore

/// Replaces contact details in a buyer's or seller's message by `[…]`, so deals stay on
/// the marketplace: phone numbers, e-mail addresses, links and messaging handles, also
/// disguised ("seis uno dos…", "6 1 2 3 4…", "ana arroba gmail punto com", "wa.me/…",
/// fullwidth or other-script look-alikes, zero-width characters, keycap digits).
///
/// Detection reads a folded copy of the text (`MaskingText`) and maps what it finds back
/// to the original, so everything outside a contact detail stays byte for byte. Order
/// numbers (`PED-10231`, `#10231`), prices, sizes, dates, times, parcel codes, postcodes,
/// quantities and model names are left alone. Pure and synchronous; a message costs a few
/// microseconds.
///
/// ```swift
/// let result = ContactMasker().mask("escríbeme al seis uno dos, tres cuatro cinco, seis siete ocho")
/// // result.text == "escríbeme al […]", result.kinds == [.phone]
/// ```
public struct ContactMasker: Sendable {
    /// What each contact detail becomes.
    public static let replacement = "[…]"

    public init() {}

    public func mask(_ text: String) -> MaskingResult {
        let folded = MaskingText(text)
        guard !folded.tokens.isEmpty else { return MaskingResult(text: text, kinds: []) }
        let found =
            EmailDetector.spans(in: folded) + LinkDetector.spans(in: folded) + HandleDetector.spans(in: folded)
            + PhoneDetector.spans(in: folded)
        guard !found.isEmpty else { return MaskingResult(text: text, kinds: []) }
        let spans = ContactSpan.merged(found)
        let original = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(original.count)
        var cursor = 0
        for span in spans {
            let range = folded.originRange(span.start, span.end)
            output.append(contentsOf: original[cursor..<range.lowerBound])
            output.append(contentsOf: Self.replacement.utf8)
            cursor = range.upperBound
        }
        output.append(contentsOf: original[cursor...])
        return MaskingResult(text: String(decoding: output, as: UTF8.self), kinds: Set(spans.map(\.kind)).sorted())
    }
}
