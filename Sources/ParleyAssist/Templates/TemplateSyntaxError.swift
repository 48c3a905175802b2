/// Why a template's content cannot be saved: what is wrong and where.
///
/// `message` names the variable or the position and the reason, e.g.
/// `unknown variable "buyer.nombre" at character 8`; the server answers it as a `400`.
/// Positions count characters as a person sees them (grapheme clusters), from 1, so an
/// accent or an emoji earlier in the text counts once.
public struct TemplateSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// A `{{` with no `}}` after it.
        case unclosedPlaceholder
        /// `{{}}`, `{{ }}` or `{{ | "…" }}`.
        case emptyVariableName
        /// A name that is neither a standard variable nor `custom.…`.
        case unknownVariable(String)
        /// `custom.` followed by nothing, too much, or characters outside `[A-Za-z0-9_-]`.
        case invalidCustomVariable(String)
        /// Something other than what the placeholder grammar allows at that point.
        case unexpectedText(found: String, expected: String)
        /// `|` not followed by a double-quoted string.
        case fallbackNotQuoted
        /// A fallback string whose closing `"` never comes.
        case unterminatedFallback
        /// A backslash in a fallback followed by something other than `"` or `\`.
        case invalidEscape(String)
        /// More placeholders than `MessageTemplateText.maximumPlaceholders`.
        case tooManyPlaceholders(limit: Int)
    }

    public let reason: Reason
    /// The character the problem is at, counted from 1.
    public let position: Int

    public init(reason: Reason, position: Int) {
        self.reason = reason
        self.position = position
    }

    /// Human text for the `400`: the reason, naming the variable or text, and the position.
    public var message: String {
        let at = "at character \(position)"
        return switch reason {
        case .unclosedPlaceholder: "\"{{\" \(at) is not closed by \"}}\""
        case .emptyVariableName: "empty variable name in the placeholder \(at)"
        case .unknownVariable(let name): "unknown variable \"\(name)\" \(at)"
        case .invalidCustomVariable(let name):
            "invalid custom variable \"\(name)\" \(at): \"custom.\" must be followed by 1 to "
                + "\(TemplateVariable.maximumCustomNameLength) letters, digits, \"_\" or \"-\""
        case .unexpectedText(let found, let expected): "unexpected \"\(found)\" \(at): expected \(expected)"
        case .fallbackNotQuoted: "the fallback \(at) must be a double-quoted string, like | \"cliente\""
        case .unterminatedFallback: "the fallback string starting \(at) is not closed by a double quote"
        case .invalidEscape(let escape): "invalid escape \"\(escape)\" \(at): only \\\" and \\\\ are allowed in a fallback"
        case .tooManyPlaceholders(let limit): "more than \(limit) placeholders; the one \(at) is over the limit"
        }
    }

    public var description: String { message }
}
