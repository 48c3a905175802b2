// libFuzzer target: what reads every buyer and seller message on the send path — contact
// masking (`ContactMasker`), the lexicon's sentiment (`LexiconSentimentScorer`, its rules
// on the send path and its word head in the review after the commit) and the
// request-for-a-person detector. The input is a message's content.
import ParleyCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMessageScreening(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    // Message content reaches the server as valid UTF-8 (JSON strings).
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)

    let masked = ContactMasker().mask(text)
    precondition(masked.kinds == Array(Set(masked.kinds)).sorted(), "masked kinds not sorted or repeated")
    precondition(!masked.kinds.isEmpty || masked.text == text, "text changed with nothing masked")
    precondition(masked.kinds.isEmpty || masked.text.contains("[…]"), "contacts masked without a […]")

    let scorer = LexiconSentimentScorer()
    let reading = scorer.read(text)
    precondition(reading.score.isFinite && (-1...1).contains(reading.score), "score out of -1...1: \(reading.score)")
    precondition(reading.rules.score == reading.score, "the rules' score is not the reading's")
    let sentiment = reading.sentiment
    precondition(sentiment.score.isFinite && (-1...1).contains(sentiment.score), "sentiment out of -1...1: \(sentiment.score)")
    precondition(reading.rules.label != .negative || sentiment == reading.rules, "the rules' negative was not kept")
    // What the send path and the review compute from parts is the whole reading.
    let rulesOnly = LexiconSentimentScorer(wordHead: nil).sentiment(text)
    precondition(rulesOnly == reading.rules, "the send path's rules reading differs")
    let reread = scorer.reread(text, rules: rulesOnly, checkingForHuman: true)
    precondition(reread.sentiment == sentiment, "the review's reading differs")
    precondition(reread.asksForHuman == reading.asksForHuman, "the review's request for a person differs")
    precondition(reading.features.count == LexiconSentimentScorer.featureCount, "feature count")
    precondition(reading.features.allSatisfy { $0.isFinite && (-1...1).contains($0) }, "a feature out of -1...1")

    _ = HumanRequestDetector().asksForHuman(text)
    return 0
}
