import ParleyCore

/// Templates, FAQ entries, matching, verdicts, suggestions and assist settings.
extension ParleyRESTClient {
    public func createTemplate(_ body: TemplateBody) async throws -> MessageTemplate {
        try await call(.POST, "/api/templates", body: body)
    }

    public func templates(query: [String: String] = [:]) async throws -> TemplateListBody {
        try await call(.GET, "/api/templates" + Self.queryString(query))
    }

    public func template(_ id: String) async throws -> MessageTemplate {
        try await call(.GET, "/api/templates/\(id)")
    }

    public func updateTemplate(_ id: String, _ body: TemplateBody) async throws -> MessageTemplate {
        try await call(.PUT, "/api/templates/\(id)", body: body)
    }

    public func deleteTemplate(_ id: String) async throws {
        try await delete("/api/templates/\(id)")
    }

    public func renderTemplate(
        _ templateID: String, in conversationID: String, values: [String: String] = [:]
    ) async throws
        -> String
    {
        let rendered: RenderedTemplateBody = try await call(
            .POST, "/api/conversations/\(conversationID)/templates/\(templateID)/render", body: RenderTemplateBody(values: values))
        return rendered.content
    }

    public func createFAQEntry(_ body: FAQEntryBody) async throws -> FAQEntry {
        try await call(.POST, "/api/faq", body: body)
    }

    public func faqEntries(ownerID: String? = nil) async throws -> FAQListBody {
        try await call(.GET, "/api/faq" + Self.queryString(ownerID.map { ["ownerId": $0] } ?? [:]))
    }

    public func faqEntry(_ id: String) async throws -> FAQEntry {
        try await call(.GET, "/api/faq/\(id)")
    }

    public func updateFAQEntry(_ id: String, _ body: FAQEntryBody) async throws -> FAQEntry {
        try await call(.PUT, "/api/faq/\(id)", body: body)
    }

    public func deleteFAQEntry(_ id: String) async throws {
        try await delete("/api/faq/\(id)")
    }

    public func matchFAQ(_ text: String, sellerID: String?) async throws -> FAQMatchResultBody {
        try await call(.POST, "/api/faq/match", body: FAQMatchBody(text: text, sellerId: sellerID))
    }

    public func feedback(_ conversationID: String, messageID: String, helpful: Bool) async throws -> FeedbackResultBody {
        try await call(
            .POST, "/api/conversations/\(conversationID)/messages/\(messageID)/feedback", body: FeedbackBody(helpful: helpful))
    }

    public func suggestions(_ conversationID: String) async throws -> SuggestionsBody {
        try await call(.GET, "/api/conversations/\(conversationID)/suggestions")
    }

    public func setAssistSettings(autoAnswer: Bool, sellerID: String? = nil) async throws -> AssistSettingsBody {
        try await call(.PUT, "/api/assist/settings", body: AssistSettingsBody(sellerId: sellerID, autoAnswer: autoAnswer))
    }

    /// A `DELETE` answered with no body (204); any other failure status throws.
    private func delete(_ path: String) async throws {
        let response = try await raw(.DELETE, path)
        guard (200..<300).contains(response.status) else {
            throw ParleyClientError.server(status: response.status, error: response.error)
        }
    }
}
