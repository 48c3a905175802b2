import ParleyCore
import ParleyMessaging

// The assist bodies of the contract as the application's commands, and its results as
// bodies.

extension TemplateBody {
    var draft: TemplateDraft {
        TemplateDraft(name: name, content: content, scope: scope, shortcut: shortcut, language: language)
    }
}

extension FAQEntryBody {
    var draft: FAQDraft {
        FAQDraft(
            scope: scope, ownerID: ownerId, language: language, question: question, alternatives: alternatives,
            answer: answer, enabled: enabled)
    }
}

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
