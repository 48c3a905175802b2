import Foundation

/// A template as both stores keep it (a row of `templates`), before its values are checked.
public struct TemplateRecord: Sendable, Equatable {
    public var id: String
    public var scope: String
    public var ownerID: String
    public var name: String
    public var shortcut: String?
    public var language: String?
    public var content: String
    /// A JSON array of strings.
    public var variables: String
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: String, scope: String, ownerID: String, name: String, shortcut: String?, language: String?, content: String,
        variables: String, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
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

    /// The record of a row of `templates` (every column, as `SELECT *` reads them).
    public init(columns: some StoredColumns) throws(StoredValueError) {
        let id = try columns.text("id", of: "templates", row: "a template")
        let row = "template \(id)"
        self.init(
            id: id, scope: try columns.text("scope", of: "templates", row: row),
            ownerID: try columns.text("owner_id", of: "templates", row: row),
            name: try columns.text("name", of: "templates", row: row),
            shortcut: try columns.optionalText("shortcut", of: "templates", row: row),
            language: try columns.optionalText("language", of: "templates", row: row),
            content: try columns.text("content", of: "templates", row: row),
            variables: try columns.text("variables", of: "templates", row: row),
            createdAt: try columns.integer("created_at", of: "templates", row: row),
            updatedAt: try columns.integer("updated_at", of: "templates", row: row))
    }

    /// The record of `template`, for writing.
    public init(_ template: MessageTemplate) {
        self.init(
            id: template.templateID, scope: template.scope.rawValue, ownerID: template.ownerID, name: template.name,
            shortcut: template.shortcut, language: template.language, content: template.content,
            variables: StoredStrings.encode(template.variables), createdAt: template.createdAt.millisecondsSince1970,
            updatedAt: template.updatedAt.millisecondsSince1970)
    }

    public func template() throws(StoredValueError) -> MessageTemplate {
        let row = "template \(id)"
        return MessageTemplate(
            templateID: id, scope: try TemplateScope(stored: scope, column: "templates.scope", row: row), ownerID: ownerID,
            name: name, shortcut: shortcut, language: language, content: content,
            variables: try StoredStrings.decode(variables, column: "templates.variables", row: row),
            createdAt: Timestamp(millisecondsSince1970: createdAt), updatedAt: Timestamp(millisecondsSince1970: updatedAt))
    }
}

/// An FAQ entry as both stores keep it (a row of `faq_entries` with its verdict counts).
public struct FAQEntryRecord: Sendable, Equatable {
    public var id: String
    public var scope: String
    public var ownerID: String?
    public var language: String?
    public var question: String
    /// A JSON array of strings.
    public var alternatives: String
    public var answer: String
    public var enabled: Bool
    public var answered: Int64
    public var helpful: Int64
    public var unhelpful: Int64
    public var vectorModel: String?
    public var vectors: Data?
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: String, scope: String, ownerID: String?, language: String?, question: String, alternatives: String,
        answer: String, enabled: Bool, answered: Int64, helpful: Int64, unhelpful: Int64, vectorModel: String?,
        vectors: Data?, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.scope = scope
        self.ownerID = ownerID
        self.language = language
        self.question = question
        self.alternatives = alternatives
        self.answer = answer
        self.enabled = enabled
        self.answered = answered
        self.helpful = helpful
        self.unhelpful = unhelpful
        self.vectorModel = vectorModel
        self.vectors = vectors
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The record of a row of `faq_entries` with its verdict counts as `helpful` and
    /// `unhelpful`.
    public init(columns: some StoredColumns) throws(StoredValueError) {
        let id = try columns.text("id", of: "faq_entries", row: "an FAQ entry")
        let row = "FAQ entry \(id)"
        self.init(
            id: id, scope: try columns.text("scope", of: "faq_entries", row: row),
            ownerID: try columns.optionalText("owner_id", of: "faq_entries", row: row),
            language: try columns.optionalText("language", of: "faq_entries", row: row),
            question: try columns.text("question", of: "faq_entries", row: row),
            alternatives: try columns.text("alternatives", of: "faq_entries", row: row),
            answer: try columns.text("answer", of: "faq_entries", row: row),
            enabled: try columns.boolean("enabled", of: "faq_entries", row: row),
            answered: try columns.integer("answered", of: "faq_entries", row: row),
            helpful: try columns.integer("helpful", of: "faq_entries", row: row),
            unhelpful: try columns.integer("unhelpful", of: "faq_entries", row: row),
            vectorModel: try columns.optionalText("vector_model", of: "faq_entries", row: row),
            vectors: try columns.optionalBytes("vectors", of: "faq_entries", row: row),
            createdAt: try columns.integer("created_at", of: "faq_entries", row: row),
            updatedAt: try columns.integer("updated_at", of: "faq_entries", row: row))
    }

    /// The record of `entry`, for writing (the counts are the store's own).
    public init(_ entry: FAQEntry) {
        self.init(
            id: entry.faqID, scope: entry.scope.rawValue, ownerID: entry.ownerID, language: entry.language,
            question: entry.question, alternatives: StoredStrings.encode(entry.alternatives), answer: entry.answer,
            enabled: entry.enabled, answered: 0, helpful: 0, unhelpful: 0, vectorModel: entry.vectors?.model,
            vectors: entry.vectors?.data, createdAt: entry.createdAt.millisecondsSince1970,
            updatedAt: entry.updatedAt.millisecondsSince1970)
    }

    public func entry() throws(StoredValueError) -> FAQEntry {
        let row = "FAQ entry \(id)"
        var stored: FAQVectors?
        if let vectorModel, let vectors { stored = FAQVectors(model: vectorModel, data: vectors) }
        return FAQEntry(
            faqID: id, scope: try FAQScope(stored: scope, column: "faq_entries.scope", row: row), ownerID: ownerID,
            language: language, question: question,
            alternatives: try StoredStrings.decode(alternatives, column: "faq_entries.alternatives", row: row),
            answer: answer, enabled: enabled,
            stats: FAQStats(answered: Int(answered), helpful: Int(helpful), unhelpful: Int(unhelpful)),
            createdAt: Timestamp(millisecondsSince1970: createdAt), updatedAt: Timestamp(millisecondsSince1970: updatedAt),
            vectors: stored)
    }
}

/// A list of strings kept in one column as a JSON array.
public enum StoredStrings {
    public static func encode(_ strings: [String]) -> String {
        // Encoding an array of strings cannot fail.
        String(decoding: (try? JSONEncoder().encode(strings)) ?? Data("[]".utf8), as: UTF8.self)
    }

    public static func decode(_ stored: String, column: String, row: String) throws(StoredValueError) -> [String] {
        do {
            return try JSONDecoder().decode([String].self, from: Data(stored.utf8))
        } catch {
            throw StoredValueError(column: column, row: row, value: stored)
        }
    }
}
