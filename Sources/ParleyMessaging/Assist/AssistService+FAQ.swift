import Foundation
import ParleyAssist
import ParleyCore

/// FAQ entries: save (with their sentence vectors), list, match, verdicts.
extension AssistService {
    public func createFAQEntry(_ draft: FAQEntryBody, by principal: Principal) async throws -> FAQEntry {
        try rateLimiter.take(principal.userID)
        let (scope, owner) = try AssistPolicy.placement(draft, for: principal)
        guard draft.question != nil else { throw ParleyError.invalid(field: "question", reason: "required") }
        guard draft.answer != nil else { throw ParleyError.invalid(field: "answer", reason: "required") }
        if try await store.faqEntries(ownerID: owner).count >= AssistLimits.maxFAQEntriesPerOwner {
            throw ParleyError.conflict(reason: "at most \(AssistLimits.maxFAQEntriesPerOwner) entries per seller, and global")
        }
        let now = clock.now()
        var entry = FAQEntry(
            faqID: Identifier.make(prefix: "f"), scope: scope, ownerID: owner, language: nil, question: "", alternatives: [],
            answer: "", enabled: true, createdAt: now, updatedAt: now)
        try apply(draft, to: &entry)
        try await store.saveFAQEntry(entry, audit: [faqAudit(.faqCreated, entry, by: principal)])
        autoAnswers.noteChange(owner)
        logger.info("FAQ entry saved", metadata: ["faq": "\(entry.faqID)", "by": "\(principal.userID)"])
        return entry
    }

    /// The entry, if the caller may see it (disabled ones only to those who manage them).
    public func faqEntry(_ id: String, by principal: Principal) async throws -> FAQEntry {
        guard let entry = try await store.faqEntry(id: id), AssistPolicy.canSee(entry, principal) else {
            throw ParleyError.notFound(what: "FAQ entry")
        }
        return entry
    }

    public func updateFAQEntry(_ id: String, _ draft: FAQEntryBody, by principal: Principal) async throws -> FAQEntry {
        try rateLimiter.take(principal.userID)
        var entry = try await faqEntry(id, by: principal)
        guard AssistPolicy.canManage(entry, principal) else {
            throw ParleyError.forbidden(reason: "only its seller, support and service change an entry")
        }
        if draft.scope != nil || draft.ownerId != nil {
            let scope = draft.scope ?? entry.scope
            // Made global, an entry has no owner; made a seller's, it keeps its owner unless named.
            let owner = scope == .global ? nil : draft.ownerId ?? entry.ownerID
            let (placedScope, placedOwner) = try AssistPolicy.placement(FAQEntryBody(scope: scope, ownerId: owner), for: principal)
            entry.scope = placedScope
            entry.ownerID = placedOwner
        }
        try apply(draft, to: &entry)
        entry.updatedAt = clock.now()
        try await store.saveFAQEntry(entry, audit: [faqAudit(.faqUpdated, entry, by: principal)])
        autoAnswers.noteChange(entry.ownerID)
        return try await faqEntry(id, by: principal)
    }

    public func deleteFAQEntry(_ id: String, by principal: Principal) async throws {
        try rateLimiter.take(principal.userID)
        let entry = try await faqEntry(id, by: principal)
        guard AssistPolicy.canManage(entry, principal) else {
            throw ParleyError.forbidden(reason: "only its seller, support and service delete an entry")
        }
        _ = try await store.deleteFAQEntry(id: id, audit: [faqAudit(.faqDeleted, entry, by: principal)])
        logger.info("FAQ entry deleted", metadata: ["faq": "\(id)", "by": "\(principal.userID)"])
    }

    /// A seller's entries (`ownerID`), or without it the caller's own — for support and
    /// service, the global ones. Disabled entries only for those who manage them.
    public func faqEntries(ownerID: String?, by principal: Principal) async throws -> [FAQEntry] {
        if let ownerID { try Validation.userID(ownerID, field: "ownerId") }
        let owner = ownerID ?? (principal.role.seesEverything ? nil : principal.userID)
        return try await store.faqEntries(ownerID: owner).filter { AssistPolicy.canSee($0, principal) }
    }

    /// Up to 3 of the seller's and the global enabled entries for `text`, best first, and
    /// the one the assistant would answer with by itself.
    public func match(_ text: String, sellerID: String?, by principal: Principal) async throws -> FAQMatchResult {
        try rateLimiter.take(principal.userID)
        try Validation.content(text, field: "text")
        if let sellerID { try Validation.userID(sellerID, field: "sellerId") }
        let entries = try await enabledEntries(sellerID: sellerID)
        let outcome = matcher.match(text, in: entries.map(document(of:)), limit: AssistLimits.maxSuggestions)
        let byID = Dictionary(entries.map { ($0.faqID, $0) }, uniquingKeysWith: { first, _ in first })
        func result(_ match: FAQScoredMatch) -> FAQMatchResult.Match? {
            byID[match.faqId].map { FAQMatchResult.Match(entry: $0, score: match.score) }
        }
        // An entry that shares nothing with the text is no match.
        return FAQMatchResult(
            matches: outcome.matches.filter { $0.score > 0 }.compactMap(result), answer: outcome.answer.flatMap(result))
    }

    /// The buyer's verdict on an automatic answer; "not helpful" hands the conversation
    /// to a person.
    public func feedback(
        on messageID: String, in conversationID: String, helpful: Bool, by principal: Principal
    ) async throws -> (faqID: String, helpful: Bool) {
        try rateLimiter.take(principal.userID)
        let conversation = try await messaging.visibleConversation(conversationID, for: principal)
        guard let message = try await store.storedMessage(id: messageID),
            message.conversationID.isSameID(as: conversation.conversationID)
        else { throw ParleyError.notFound(what: "message") }
        guard let mark = message.annotations.auto else {
            throw ParleyError.invalid(field: "messageId", reason: "is not an automatic answer")
        }
        guard conversation.role(of: principal.userID) == .buyer else { throw ParleyError.forbidden(reason: "only the conversation's buyer judges its automatic answers") }
        let earlier = try await store.recordFeedback(
            messageID: messageID, faqID: mark.faqID, userID: principal.userID, helpful: helpful, now: clock.now())
        logger.info(
            "automatic answer judged",
            metadata: ["message": "\(messageID)", "faq": "\(mark.faqID)", "helpful": "\(helpful)", "by": "\(principal.userID)"])
        if !helpful && earlier != false {
            try await messaging.escalate(conversationID, reason: .unhelpfulAnswer, messageID: messageID)
        }
        return (mark.faqID, helpful)
    }

    // MARK: Helpers

    /// The seller's enabled entries and the global ones.
    func enabledEntries(sellerID: String?) async throws -> [FAQEntry] {
        var entries = try await store.faqEntries(ownerID: nil)
        if let sellerID { entries = try await store.faqEntries(ownerID: sellerID) + entries }
        return entries.filter(\.enabled)
    }

    /// The entry as the matcher sees it, with its stored vectors when they are this
    /// model's; else (saved while the server ran without the model, or with another)
    /// they are computed now and cached, and stored when the entry is next saved.
    func document(of entry: FAQEntry) -> FAQDocument {
        var vectors: [[Float]] = []
        if let stored = entry.vectors, let embedder = matcher.embedder, stored.model == embedder.modelName,
            let flat = EmbeddingCodec.decode(stored.data), embedder.dimension > 0, flat.count % embedder.dimension == 0
        {
            vectors = stride(from: 0, to: flat.count, by: embedder.dimension).map {
                Array(flat[$0..<$0 + embedder.dimension])
            }
        } else if matcher.embedder != nil {
            vectors = self.vectors(for: [entry.question] + entry.alternatives + [entry.answer])
        }
        return FAQDocument(
            faqId: entry.faqID, question: entry.question, alternatives: entry.alternatives, answer: entry.answer,
            language: entry.language.flatMap(AssistLanguage.init(rawValue:)), vectors: vectors)
    }

    private func apply(_ draft: FAQEntryBody, to entry: inout FAQEntry) throws {
        if let question = draft.question {
            try Validation.text(question, field: "question", maxBytes: AssistLimits.maxQuestionBytes)
            entry.question = question
        }
        if let alternatives = draft.alternatives {
            if alternatives.count > AssistLimits.maxAlternatives {
                throw ParleyError.invalid(field: "alternatives", reason: "more than \(AssistLimits.maxAlternatives)")
            }
            for (index, alternative) in alternatives.enumerated() {
                try Validation.text(alternative, field: "alternatives[\(index)]", maxBytes: AssistLimits.maxQuestionBytes)
            }
            entry.alternatives = alternatives
        }
        if let answer = draft.answer {
            try Validation.text(answer, field: "answer", maxBytes: AssistLimits.maxAnswerBytes)
            entry.answer = answer
        }
        if let language = draft.language { entry.language = try Self.language(language, field: "language") }
        if let enabled = draft.enabled { entry.enabled = enabled }
        if let embedder = matcher.embedder,
            draft.question != nil || draft.alternatives != nil || draft.answer != nil || entry.vectors?.model != embedder.modelName
        {
            let vectors = matcher.vectors(question: entry.question, alternatives: entry.alternatives, answer: entry.answer)
            entry.vectors = FAQVectors(model: embedder.modelName, data: Data(vectors.flatMap(EmbeddingCodec.encode)))
        }
    }
}
