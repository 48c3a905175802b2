import ParleyAssist
import ParleyCore

/// Templates: save with validation, list, render in a conversation, send by template.
extension AssistService {
    public func createTemplate(_ draft: TemplateBody, by principal: Principal) async throws -> MessageTemplate {
        try rateLimiter.take(principal.userID)
        let scope = draft.scope ?? .personal
        try AssistPolicy.requireCanManage(scope, principal)
        guard let name = draft.name else { throw ParleyError.invalid(field: "name", reason: "required") }
        guard let content = draft.content else { throw ParleyError.invalid(field: "content", reason: "required") }
        let existing = try await store.templates(ownedBy: principal.userID, includingShared: scope == .shared)
        let counted = existing.filter { $0.scope == scope && (scope == .shared || $0.ownerID.isSameID(as: principal.userID)) }
        if counted.count >= AssistLimits.maxTemplatesPerOwner {
            throw ParleyError.conflict(reason: "at most \(AssistLimits.maxTemplatesPerOwner) \(scope.rawValue) templates")
        }
        let now = clock.now()
        var template = MessageTemplate(
            templateID: Identifier.make(prefix: "t"), scope: scope, ownerID: principal.userID, name: name, shortcut: nil,
            language: nil, content: content, variables: [], createdAt: now, updatedAt: now)
        try Self.apply(draft, to: &template)
        try await store.saveTemplate(template)
        logger.info("template saved", metadata: ["template": "\(template.templateID)", "by": "\(principal.userID)"])
        return template
    }

    public func template(_ id: String, by principal: Principal) async throws -> MessageTemplate {
        guard let template = try await store.template(id: id), AssistPolicy.canSee(template, principal) else {
            throw ParleyError.notFound(what: "template")
        }
        return template
    }

    public func updateTemplate(_ id: String, _ draft: TemplateBody, by principal: Principal) async throws -> MessageTemplate {
        try rateLimiter.take(principal.userID)
        var template = try await self.template(id, by: principal)
        try AssistPolicy.requireCanManage(template.scope, principal)
        if let scope = draft.scope, scope != template.scope {
            try AssistPolicy.requireCanManage(scope, principal)
            template.scope = scope
            // A shared template made personal becomes the caller's, not its author's.
            template.ownerID = principal.userID
        }
        try Self.apply(draft, to: &template)
        template.updatedAt = clock.now()
        try await store.saveTemplate(template)
        return template
    }

    public func deleteTemplate(_ id: String, by principal: Principal) async throws {
        try rateLimiter.take(principal.userID)
        let template = try await self.template(id, by: principal)
        try AssistPolicy.requireCanManage(template.scope, principal)
        _ = try await store.deleteTemplate(id: id)
        logger.info("template deleted", metadata: ["template": "\(id)", "by": "\(principal.userID)"])
    }

    /// The caller's personal templates and the shared ones, oldest first; `query` matches
    /// name, shortcut and content as search does (every word, accents and word forms).
    public func templates(
        matching query: String?, language: String?, by principal: Principal
    ) async throws
        -> [MessageTemplate]
    {
        let language = try Self.language(language, field: "language")
        if query != nil { try rateLimiter.take(principal.userID) }
        var templates = try await store.templates(ownedBy: principal.userID, includingShared: true)
        if let language { templates = templates.filter { $0.language == language } }
        if let query, !query.trimmingWhitespace().isEmpty {
            let terms = try MessagingService.searchTerms(query)
            templates = templates.filter { template in
                let indexed = Set(
                    TextAnalyzer.indexTerms([template.name, template.shortcut ?? "", template.content].joined(separator: " ")))
                return terms.allSatisfy { $0.isMatched(byIndexTerms: indexed) }
            }
        }
        return templates
    }

    /// The template filled for `conversationID`; `missingVariables` when a value is missing.
    public func render(
        _ templateID: String, in conversationID: String, values: [String: String], by principal: Principal
    ) async throws -> String {
        let template = try await self.template(templateID, by: principal)
        let conversation = try await messaging.visibleConversation(conversationID, for: principal)
        let text = try Self.parsed(template.content)
        try Self.validate(values)
        var all = try await standardValues(for: conversation, caller: principal)
        for (name, value) in values { all[name] = value }
        switch text.render(values: all) {
        case .rendered(let content): return content
        case .missingVariables(let names): throw ParleyError.missingVariables(names)
        }
    }

    /// Renders the template and sends the result as the caller's message, recording the
    /// template on it.
    public func sendTemplate(
        _ templateID: String, in conversationID: String, values: [String: String], clientMessageID: String?,
        by principal: Principal
    ) async throws -> AppendMessageResult {
        let content = try await render(templateID, in: conversationID, values: values, by: principal)
        let draft = MessageDraft(
            content: content, type: .text, clientMessageID: clientMessageID,
            annotations: MessageAnnotations(templateID: templateID))
        return try await messaging.send(SendMessage(conversationID: conversationID, draft: draft), by: principal)
    }

    /// The values the server fills in: the conversation's fields and the names it has seen.
    func standardValues(for conversation: Conversation, caller: Principal) async throws -> [String: String] {
        let buyer = conversation.participants.first { $0.role == .buyer }?.userID
        let seller = conversation.participants.first { $0.role == .seller }?.userID
        let agent = conversation.assignedTo
        let names = try await store.userNames([buyer, seller, agent, caller.userID].compactMap { $0 })
        var values: [String: String] = ["conversationId": conversation.conversationID]
        values["orderId"] = conversation.orderID
        values["productId"] = conversation.productID
        values["subject"] = conversation.subject
        values["buyer.name"] = buyer.flatMap { names[$0] }
        values["seller.name"] = seller.flatMap { names[$0] }
        values["agent.name"] = agent.flatMap { names[$0] }
        values["me.name"] = caller.name ?? names[caller.userID]
        return values
    }

    static func apply(_ draft: TemplateBody, to template: inout MessageTemplate) throws(ParleyError) {
        if let name = draft.name {
            try Validation.text(name, field: "name", maxBytes: AssistLimits.maxNameBytes)
            template.name = name
        }
        if let shortcut = draft.shortcut {
            if shortcut.isEmpty || shortcut.utf8.count > AssistLimits.maxShortcutBytes
                || shortcut.unicodeScalars.contains(where: {
                    $0.properties.isWhitespace || $0 == "/" || $0.properties.generalCategory == .control
                })
            {
                throw .invalid(
                    field: "shortcut",
                    reason: "must be 1 to \(AssistLimits.maxShortcutBytes) bytes without spaces, control characters or /")
            }
            template.shortcut = shortcut
        }
        if let language = draft.language { template.language = try Self.language(language, field: "language") }
        if let content = draft.content {
            try Validation.content(content)
            template.content = content
            template.variables = try parsed(content).variables
        }
    }

    static func parsed(_ content: String) throws(ParleyError) -> MessageTemplateText {
        do {
            return try MessageTemplateText.parse(content)
        } catch {
            throw .invalid(field: "content", reason: error.message)
        }
    }

    static func validate(_ values: [String: String]) throws(ParleyError) {
        if values.count > AssistLimits.maxCustomValues {
            throw .invalid(field: "values", reason: "more than \(AssistLimits.maxCustomValues) values")
        }
        for (name, value) in values {
            guard TemplateVariable.isKnown(name) else {
                throw .invalid(field: "values.\(name)", reason: "not a template variable")
            }
            if value.utf8.count > AssistLimits.maxCustomValueBytes {
                throw .invalid(field: "values.\(name)", reason: "longer than \(AssistLimits.maxCustomValueBytes) bytes")
            }
        }
    }
}
