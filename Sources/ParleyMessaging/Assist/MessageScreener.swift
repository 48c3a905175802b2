import ParleyAssist
import ParleyCore

/// What the send path reads in a `text` message before it is stored: the contact details
/// to mask (`--mask-contacts`) and the lexicon's sentiment. Both are pure and take
/// microseconds, so every stored buyer and seller message has its sentiment from the
/// start; the classifier's second reading comes after the commit (`SentimentReview`).
public struct MessageScreener: Sendable {
    public let maskingMode: ContactMaskingMode
    let masker = ContactMasker()
    let lexicon = LexiconSentimentScorer()

    public init(maskingMode: ContactMaskingMode) {
        self.maskingMode = maskingMode
    }

    /// The screening of a message of `type` with `content`; nil for other types than text.
    /// The store applies it only to buyer and seller participants (`NewMessage.screened(in:)`).
    func screening(of content: String, type: MessageType) -> MessageScreening? {
        guard type == .text else { return nil }
        var masked: MaskingResult?
        if maskingMode != .never {
            let result = masker.mask(content)
            if result.isMasked { masked = result }
        }
        return MessageScreening(sentiment: lexicon.read(content).sentiment, masked: masked, maskingMode: maskingMode)
    }
}
