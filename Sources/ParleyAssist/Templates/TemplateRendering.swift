/// The outcome of filling a template with values.
public enum TemplateRendering: Sendable, Equatable {
    /// The text to send; it never contains `{{`.
    case rendered(String)
    /// The variables that had neither a non-empty value nor a fallback, sorted and
    /// without repeats; the contract's `missing_variables` error lists them.
    case missingVariables([String])
}
