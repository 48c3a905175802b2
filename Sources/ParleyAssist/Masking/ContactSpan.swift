import ParleyCore

/// One contact detail a detector found: a range of `MaskingText.bytes` and its kind.
struct ContactSpan: Hashable {
    var start: Int
    var end: Int
    var kind: MaskedContact

    var length: Int { end - start }

    /// `spans` sorted, overlapping ones merged into one (which takes the kind of the
    /// longer): one `[…]` per contact detail even when two detectors saw parts of it,
    /// such as the digits inside `wa.me/34612345678`.
    static func merged(_ spans: [ContactSpan]) -> [ContactSpan] {
        let sorted = spans.sorted { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }
        var result: [ContactSpan] = []
        for span in sorted {
            guard var last = result.last, span.start < last.end else {
                result.append(span)
                continue
            }
            if span.length > last.length { last.kind = span.kind }
            last.end = max(last.end, span.end)
            result[result.count - 1] = last
        }
        return result
    }
}
