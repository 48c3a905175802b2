/// One `{{ name }}` or `{{ name | "fallback" }}` in a template: the variable it stands
/// for and the text used when no value is given for it.
struct TemplatePlaceholder: Sendable, Equatable {
    let name: String
    /// Unescaped; `nil` when the placeholder has no `| "…"` part.
    let fallback: String?
}
