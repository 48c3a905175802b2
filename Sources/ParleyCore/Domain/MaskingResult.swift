/// What contact masking (`ContactMasker.mask(_:)`, in ParleyAssist) made of a message: the text with every contact detail
/// replaced by `[…]`, and the kinds of contact detail it replaced (sorted, each once;
/// empty when nothing was masked, and then `text` is the input unchanged).
public struct MaskingResult: Sendable, Hashable {
    public var text: String
    public var kinds: [MaskedContact]

    public init(text: String, kinds: [MaskedContact]) {
        self.text = text
        self.kinds = kinds
    }

    /// Whether anything was masked.
    public var isMasked: Bool { !kinds.isEmpty }
}
