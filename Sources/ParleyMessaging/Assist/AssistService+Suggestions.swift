import ParleyAssist
import ParleyCore

/// Reply suggestions for the newest buyer message nobody answered yet.
extension AssistService {
    public func suggestions(for conversationID: String, by principal: Principal) async throws -> Suggestions {
        // Costly (it scores FAQ, templates and history): counted like a search.
        try rateLimiter.take(principal.userID)
        let conversation = try await messaging.visibleConversation(conversationID, for: principal)
        let takesPartAsSeller = conversation.participants.contains {
            $0.role == .seller && $0.userID.isSameID(as: principal.userID)
        }
        guard takesPartAsSeller || principal.role.seesEverything else {
            throw ParleyError.forbidden(reason: "suggestions are for the conversation's sellers, support and service")
        }
        // End-to-end encrypted: the server cannot read the question (the client may suggest locally).
        if conversation.isEncrypted { return Suggestions(forMessageID: nil, suggestions: []) }
        let page = try await store.messages(
            conversationID: conversationID,
            page: MessagePageRequest(anchor: .newest, limit: AssistLimits.pendingQuestionWindow))
        guard let question = Self.pendingQuestion(in: page.messages, of: conversation) else {
            return Suggestions(forMessageID: nil, suggestions: [])
        }
        var offered: [Suggestion] = []
        offered += try await faqSuggestions(for: question.content, in: conversation)
        offered += try await templateSuggestions(for: question.content, in: conversation, by: principal)
        offered += try await historySuggestions(for: question.content, excluding: conversationID, by: principal)
        return Suggestions(forMessageID: question.messageID, suggestions: Self.best(offered))
    }

    /// The newest buyer text that no seller or agent answered after (the assistant's
    /// answers and `system` messages do not count as answers).
    static func pendingQuestion(in messages: [Message], of conversation: Conversation) -> Message? {
        for message in messages.reversed() {
            let sender = conversation.participants.first { $0.userID.isSameID(as: message.senderID) }
            if sender?.role == .buyer {
                if message.type == .text { return message }
                continue
            }
            if message.senderID.isSameID(as: Principal.assistantID) || message.type == .system { continue }
            // A seller, a support agent (participant or not): answered.
            return nil
        }
        return nil
    }

    /// Best first, one per distinct text, at most `AssistLimits.maxSuggestions`.
    static func best(_ suggestions: [Suggestion]) -> [Suggestion] {
        var seen = Set<String>()
        var kept: [Suggestion] = []
        for suggestion in suggestions.sorted(by: { $0.score > $1.score })
        where seen.insert(suggestion.content.trimmingWhitespace()).inserted {
            kept.append(suggestion)
            if kept.count == AssistLimits.maxSuggestions { break }
        }
        return kept
    }

    private func faqSuggestions(for text: String, in conversation: Conversation) async throws -> [Suggestion] {
        let entries = try await enabledEntries(sellerID: Self.seller(of: conversation))
        let byID = Dictionary(entries.map { ($0.faqID, $0) }, uniquingKeysWith: { first, _ in first })
        return matcher.match(text, in: entries.map(document(of:)), limit: AssistLimits.maxSuggestions).matches.compactMap {
            match in
            guard match.score > 0 else { return nil }
            return byID[match.faqId].map { Suggestion(source: .faq(faqID: $0.faqID), content: $0.answer, score: match.score) }
        }
    }

    /// Templates the caller sees whose text fits the question, rendered for this
    /// conversation; those missing a value are left out.
    private func templateSuggestions(
        for text: String, in conversation: Conversation, by principal: Principal
    ) async throws
        -> [Suggestion]
    {
        let templates = try await store.templates(ownedBy: principal.userID, includingShared: true)
        guard !templates.isEmpty else { return [] }
        let values = try await standardValues(for: conversation, caller: principal)
        var rendered: [(template: MessageTemplate, content: String)] = []
        for template in templates {
            guard let parsed = try? MessageTemplateText.parse(template.content),
                case .rendered(let content) = parsed.render(values: values)
            else { continue }
            rendered.append((template, content))
        }
        let documents = rendered.map { item in
            FAQDocument(
                faqId: item.template.templateID, question: item.template.name, alternatives: [], answer: item.content,
                vectors: vectors(for: [item.template.name, item.content]))
        }
        let byID = Dictionary(rendered.map { ($0.template.templateID, $0.content) }, uniquingKeysWith: { first, _ in first })
        return matcher.rank(text, in: documents).prefix(AssistLimits.maxSuggestions).compactMap { candidate in
            guard candidate.score > 0, let content = byID[candidate.faqId] else { return nil }
            return Suggestion(source: .template(templateID: candidate.faqId), content: content, score: candidate.score)
        }
    }

    /// The caller's own replies to similar buyer questions in other conversations.
    private func historySuggestions(
        for text: String, excluding conversationID: String, by principal: Principal
    )
        async throws -> [Suggestion]
    {
        let pairs = try await store.recentReplies(
            by: principal.userID, excludingConversation: conversationID,
            conversationLimit: AssistLimits.historyConversations, limit: AssistLimits.historyReplies)
        guard !pairs.isEmpty else { return [] }
        let documents = pairs.map { pair in
            FAQDocument(
                faqId: pair.reply.messageID, question: pair.question.content, alternatives: [], answer: pair.reply.content,
                vectors: vectors(for: [pair.question.content]))
        }
        let replies = Dictionary(pairs.map { ($0.reply.messageID, $0.reply.content) }, uniquingKeysWith: { first, _ in first })
        return matcher.rank(text, in: documents).prefix(AssistLimits.maxSuggestions).compactMap { candidate in
            guard candidate.score > 0, let content = replies[candidate.faqId] else { return nil }
            return Suggestion(source: .history(messageID: candidate.faqId), content: content, score: candidate.score)
        }
    }
}
