/// A run of a parsed template: text copied as it is, or a placeholder to fill.
enum TemplateSegment: Sendable, Equatable {
    /// Never contains `{{`: the parser opens a placeholder at every `{{`.
    case literal(String)
    case placeholder(TemplatePlaceholder)
}
