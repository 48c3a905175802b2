import Foundation

/// A canned reply with variables (`{{buyer.name | "cliente"}}`), saved by a seller or a
/// support agent (`personal`) or by support and service for everyone (`shared`).
public struct MessageTemplate: Sendable, Hashable {
    public var templateID: String
    public var scope: TemplateScope
    /// Who saved it: a personal template's owner, a shared one's author.
    public var ownerID: String
    public var name: String
    public var shortcut: String?
    /// `es` or `en` when given.
    public var language: String?
    public var content: String
    /// The variables `content` uses, in order of first appearance.
    public var variables: [String]
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        templateID: String, scope: TemplateScope, ownerID: String, name: String, shortcut: String?, language: String?,
        content: String, variables: [String], createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.templateID = templateID
        self.scope = scope
        self.ownerID = ownerID
        self.name = name
        self.shortcut = shortcut
        self.language = language
        self.content = content
        self.variables = variables
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Who sees a template: its owner only, or every seller and agent.
public enum TemplateScope: String, Sendable, Codable, CaseIterable {
    case personal
    case shared
}
