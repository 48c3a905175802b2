import Hummingbird
import ParleyCore
import ParleyMessaging

/// `/api/templates`, `/api/faq`, `/api/faq/match` and `/api/assist/…`: templates, FAQ
/// entries, matching and settings.
struct AssistController {
    let assist: AssistService

    var templateEndpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.post { request, context in
            let body = try await request.decode(as: TemplateBody.self, context: context)
            let template = try await assist.createTemplate(body, by: try context.requirePrincipal())
            return EditedResponse(status: .created, response: template)
        }
        routes.get { request, context in
            let query = QueryParameters(request: request)
            return TemplateListBody(
                templates: try await assist.templates(
                    matching: try query.string("q"), language: try query.string("language"), by: try context.requirePrincipal()))
        }
        routes.get(":templateId") { _, context in
            try await assist.template(try Self.templateID(context), by: try context.requirePrincipal())
        }
        routes.put(":templateId") { request, context in
            let body = try await request.decode(as: TemplateBody.self, context: context)
            return try await assist.updateTemplate(try Self.templateID(context), body, by: try context.requirePrincipal())
        }
        routes.delete(":templateId") { _, context in
            try await assist.deleteTemplate(try Self.templateID(context), by: try context.requirePrincipal())
            return HTTPResponse.Status.noContent
        }
        return routes
    }

    var faqEndpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.post { request, context in
            let body = try await request.decode(as: FAQEntryBody.self, context: context)
            let entry = try await assist.createFAQEntry(body, by: try context.requirePrincipal())
            return EditedResponse(status: .created, response: entry)
        }
        routes.get { request, context in
            let owner = try QueryParameters(request: request).id("ownerId")
            return FAQListBody(entries: try await assist.faqEntries(ownerID: owner, by: try context.requirePrincipal()))
        }
        routes.post("match") { request, context in
            let body = try await request.decode(as: FAQMatchBody.self, context: context)
            let result = try await assist.match(body.text, sellerID: body.sellerId, by: try context.requirePrincipal())
            return FAQMatchResultBody(result)
        }
        routes.get(":faqId") { _, context in
            try await assist.faqEntry(try Self.faqID(context), by: try context.requirePrincipal())
        }
        routes.put(":faqId") { request, context in
            let body = try await request.decode(as: FAQEntryBody.self, context: context)
            return try await assist.updateFAQEntry(try Self.faqID(context), body, by: try context.requirePrincipal())
        }
        routes.delete(":faqId") { _, context in
            try await assist.deleteFAQEntry(try Self.faqID(context), by: try context.requirePrincipal())
            return HTTPResponse.Status.noContent
        }
        return routes
    }

    var settingsEndpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.post("sentiment") { request, context in
            let body = try await request.decode(as: SentimentRequestBody.self, context: context)
            let assessment = try assist.sentiment(of: body.text, by: try context.requirePrincipal())
            return SentimentBody(
                label: assessment.sentiment.label, score: assessment.sentiment.score,
                language: assessment.language.rawValue)
        }
        routes.get("settings") { request, context in
            let seller = try QueryParameters(request: request).id("sellerId")
            let (sellerID, settings) = try await assist.settings(sellerID: seller, by: try context.requirePrincipal())
            return AssistSettingsBody(sellerId: sellerID, autoAnswer: settings.autoAnswer)
        }
        routes.put("settings") { request, context in
            let body = try await request.decode(as: AssistSettingsBody.self, context: context)
            guard let autoAnswer = body.autoAnswer else { throw ParleyError.invalid(field: "autoAnswer", reason: "required") }
            let sellerID = try await assist.saveSettings(
                AssistSettings(autoAnswer: autoAnswer), sellerID: body.sellerId, by: try context.requirePrincipal())
            return AssistSettingsBody(sellerId: sellerID, autoAnswer: autoAnswer)
        }
        return routes
    }

    /// Routes under `/api/conversations/{conversationId}`: render, feedback, suggestions.
    var conversationEndpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.post(":conversationId/templates/:templateId/render") { request, context in
            let body = try await request.decode(as: RenderTemplateBody.self, context: context)
            let content = try await assist.render(
                try Self.templateID(context), in: try context.conversationID(), values: body.values ?? [:],
                by: try context.requirePrincipal())
            return RenderedTemplateBody(content: content)
        }
        routes.post(":conversationId/messages/:messageId/feedback") { request, context in
            let body = try await request.decode(as: FeedbackBody.self, context: context)
            let messageID = try context.pathID("messageId", what: "message")
            let result = try await assist.feedback(
                on: messageID, in: try context.conversationID(), helpful: body.helpful, by: try context.requirePrincipal())
            return FeedbackResultBody(messageId: messageID, faqId: result.faqID, helpful: result.helpful)
        }
        routes.get(":conversationId/suggestions") { _, context in
            SuggestionsBody(
                try await assist.suggestions(for: try context.conversationID(), by: try context.requirePrincipal()))
        }
        return routes
    }

    static func templateID(_ context: ParleyRequestContext) throws(ParleyError) -> String {
        try context.pathID("templateId", what: "template")
    }

    static func faqID(_ context: ParleyRequestContext) throws(ParleyError) -> String {
        try context.pathID("faqId", what: "FAQ entry")
    }
}
