import ParleyCore
import ParleyMessaging

// The assist results of the application as the contract's bodies (requests go to
// `AssistService` as the bodies themselves: `TemplateBody`, `FAQEntryBody`).

extension FAQMatchResultBody {
    init(_ result: FAQMatchResult) {
        func item(_ match: FAQMatchResult.Match) -> FAQMatchItemBody {
            FAQMatchItemBody(faqId: match.entry.faqID, question: match.entry.question, answer: match.entry.answer, score: match.score)
        }
        self.init(matches: result.matches.map(item), answer: result.answer.map(item))
    }
}

extension SuggestionsBody {
    init(_ suggestions: Suggestions) {
        self.init(
            forMessageId: suggestions.forMessageID,
            suggestions: suggestions.suggestions.map { suggestion in
                switch suggestion.source {
                case .faq(let id): Item(source: "faq", content: suggestion.content, faqId: id, score: suggestion.score)
                case .template(let id):
                    Item(source: "template", content: suggestion.content, templateId: id, score: suggestion.score)
                case .history(let id):
                    Item(source: "history", content: suggestion.content, messageId: id, score: suggestion.score)
                }
            })
    }
}
