/// One FAQ entry as the matcher sees it: the texts it is matched on and, when the server
/// has a sentence encoder, their vectors, computed once when the entry is saved.
public struct FAQDocument: Sendable {
    public var faqId: String
    public var question: String
    public var alternatives: [String]
    public var answer: String
    public var language: AssistLanguage?
    /// One vector per text, in order: the question, each alternative, then the answer
    /// (`FAQMatcher.vectors(question:alternatives:answer:)` makes them). Empty without an
    /// encoder; vectors of another dimension than the matcher's encoder are ignored.
    public var vectors: [[Float]]

    public init(
        faqId: String, question: String, alternatives: [String] = [], answer: String, language: AssistLanguage? = nil,
        vectors: [[Float]] = []
    ) {
        self.faqId = faqId
        self.question = question
        self.alternatives = alternatives
        self.answer = answer
        self.language = language
        self.vectors = vectors
    }
}
