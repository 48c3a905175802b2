import ParleyAssist
import ParleyCore

/// What the send path reads in a `text` message before it is stored: the contact details
/// to mask (`--mask-contacts`) and the sentiment of the lexicon's rules. Both are pure and
/// take microseconds, so every stored buyer and seller message has its sentiment from the
/// start; the second reading, with the lexicon's word head and the encoder's when loaded,
/// comes after the commit (`SentimentReview`), so the send path costs what it did.
public struct MessageScreener: Sendable {
    public let maskingMode: ContactMaskingMode
    let masker = ContactMasker()
    let lexicon = LexiconSentimentScorer(wordHead: nil)

    public init(maskingMode: ContactMaskingMode) {
        self.maskingMode = maskingMode
    }

    /// The screening of a message of `type` with `content`: masking for every type but
    /// `system` (an image's or a file's caption may carry a phone number as well as a
    /// text), the lexicon's sentiment for `text`. Nil when neither applies. The store
    /// applies it only to buyer and seller participants (`NewMessage.screened(in:)`).
    func screening(of content: String, type: MessageType) -> MessageScreening? {
        guard type != .system else { return nil }
        var masked: MaskingResult?
        if maskingMode != .never {
            let result = masker.mask(content)
            if result.isMasked { masked = result }
        }
        let sentiment = type == .text ? lexicon.sentiment(content) : nil
        guard sentiment != nil || masked != nil else { return nil }
        return MessageScreening(sentiment: sentiment, masked: masked, maskingMode: maskingMode)
    }
}
