import ParleyCore

/// A template as `POST /api/templates` or `PUT /api/templates/{id}` gives it. On `PUT`,
/// fields left out keep their values.
public struct TemplateDraft: Sendable, Equatable {
    public var name: String?
    public var content: String?
    public var scope: TemplateScope?
    public var shortcut: String?
    public var language: String?

    public init(
        name: String? = nil, content: String? = nil, scope: TemplateScope? = nil, shortcut: String? = nil,
        language: String? = nil
    ) {
        self.name = name
        self.content = content
        self.scope = scope
        self.shortcut = shortcut
        self.language = language
    }
}
