/// The contract's JSON shape of a template.
extension MessageTemplate: Codable {
    private enum CodingKeys: String, CodingKey {
        case templateID = "templateId"
        case scope
        case ownerID = "ownerId"
        case name, shortcut, language, content, variables, createdAt, updatedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            templateID: try container.decode(String.self, forKey: .templateID),
            scope: try container.decode(TemplateScope.self, forKey: .scope),
            ownerID: try container.decode(String.self, forKey: .ownerID),
            name: try container.decode(String.self, forKey: .name),
            shortcut: try container.decodeIfPresent(String.self, forKey: .shortcut),
            language: try container.decodeIfPresent(String.self, forKey: .language),
            content: try container.decode(String.self, forKey: .content),
            variables: try container.decode([String].self, forKey: .variables),
            createdAt: try container.decode(Timestamp.self, forKey: .createdAt),
            updatedAt: try container.decode(Timestamp.self, forKey: .updatedAt))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(templateID, forKey: .templateID)
        try container.encode(scope, forKey: .scope)
        try container.encode(ownerID, forKey: .ownerID)
        try container.encode(name, forKey: .name)
        try container.encode(shortcut, forKey: .shortcut)
        try container.encode(language, forKey: .language)
        try container.encode(content, forKey: .content)
        try container.encode(variables, forKey: .variables)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// The body of `POST /api/templates` and `PUT /api/templates/{id}` (on `PUT`, fields
/// left out keep their values); `AssistService` takes it as it is.
public struct TemplateBody: Codable, Sendable {
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

/// The answer of `GET /api/templates`.
public struct TemplateListBody: Codable, Sendable {
    public var templates: [MessageTemplate]
    public init(templates: [MessageTemplate]) { self.templates = templates }
}

/// The body of `POST …/templates/{templateId}/render`.
public struct RenderTemplateBody: Codable, Sendable {
    public var values: [String: String]?
    public init(values: [String: String]? = nil) { self.values = values }
}

/// The answer of `POST …/templates/{templateId}/render`.
public struct RenderedTemplateBody: Codable, Sendable {
    public var content: String
    public init(content: String) { self.content = content }
}
