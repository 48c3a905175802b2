/// Turns template content into segments in one pass, failing on the first thing that is
/// not literal text or a well-formed placeholder.
///
/// Grammar (whitespace is any Unicode whitespace, newlines included):
///
///     placeholder := "{{" ws name ws ( "|" ws fallback ws )? "}}"
///     fallback    := '"' ( any but '"' or '\' | '\"' | '\\' )* '"'
///
/// Every `{{` opens a placeholder, so `{{{orderId}}}` is an error rather than a guess
/// about which braces are text; a `}`, a `}}` or a lone `{` outside a placeholder is text.
/// The parser walks Unicode scalars, not Characters: a `{` followed by a combining mark is
/// one Character, yet the bytes a client receives still hold `{{`.
struct TemplateParser {
    private let scalars: [Unicode.Scalar]
    private var offset = 0

    private init(_ content: String) {
        scalars = Array(content.unicodeScalars)
    }

    static func parse(_ content: String) throws(TemplateSyntaxError) -> [TemplateSegment] {
        var parser = TemplateParser(content)
        return try parser.parseSegments()
    }

    private mutating func parseSegments() throws(TemplateSyntaxError) -> [TemplateSegment] {
        var segments: [TemplateSegment] = []
        var placeholderCount = 0
        var literalStart = 0
        while offset < scalars.count {
            guard isOpening(at: offset) else {
                offset += 1
                continue
            }
            if literalStart < offset {
                segments.append(.literal(text(literalStart..<offset)))
            }
            let opening = offset
            let placeholder = try parsePlaceholder()
            placeholderCount += 1
            if placeholderCount > MessageTemplateText.maximumPlaceholders {
                throw error(.tooManyPlaceholders(limit: MessageTemplateText.maximumPlaceholders), at: opening)
            }
            segments.append(.placeholder(placeholder))
            literalStart = offset
        }
        if literalStart < scalars.count {
            segments.append(.literal(text(literalStart..<scalars.count)))
        }
        return segments
    }

    /// Parses from a `{{` to just past its `}}`.
    private mutating func parsePlaceholder() throws(TemplateSyntaxError) -> TemplatePlaceholder {
        let opening = offset
        offset += 2
        skipWhitespace()
        let nameStart = offset
        while offset < scalars.count, isNameScalar(scalars[offset]) {
            offset += 1
        }
        guard nameStart < offset else {
            guard offset < scalars.count else { throw error(.unclosedPlaceholder, at: opening) }
            if scalars[offset] == "}" || scalars[offset] == "|" { throw error(.emptyVariableName, at: opening) }
            throw error(.unexpectedText(found: word(at: offset), expected: "a variable name"), at: offset)
        }
        let name = text(nameStart..<offset)
        if let failure = TemplateVariable.validationFailure(for: name) {
            throw error(failure, at: nameStart)
        }
        skipWhitespace()
        var fallback: String?
        if offset < scalars.count, scalars[offset] == "|" {
            offset += 1
            skipWhitespace()
            guard offset < scalars.count else { throw error(.unclosedPlaceholder, at: opening) }
            fallback = try parseFallback()
            skipWhitespace()
        }
        // A single `}` at the very end is a placeholder someone forgot to finish.
        guard offset < scalars.count, !(scalars[offset] == "}" && offset + 1 == scalars.count) else {
            throw error(.unclosedPlaceholder, at: opening)
        }
        guard isClosing(at: offset) else {
            let expected = fallback == nil ? "\"|\" or \"}}\"" : "\"}}\""
            throw error(.unexpectedText(found: word(at: offset), expected: expected), at: offset)
        }
        offset += 2
        return TemplatePlaceholder(name: name, fallback: fallback)
    }

    /// Parses a double-quoted fallback starting at `offset`, unescaping `\"` and `\\`.
    private mutating func parseFallback() throws(TemplateSyntaxError) -> String {
        let quote = offset
        guard scalars[offset] == "\"" else { throw error(.fallbackNotQuoted, at: offset) }
        offset += 1
        var value = String.UnicodeScalarView()
        while offset < scalars.count {
            let scalar = scalars[offset]
            switch scalar {
            case "\"":
                offset += 1
                return String(value)
            case "\\":
                guard offset + 1 < scalars.count else { throw error(.unterminatedFallback, at: quote) }
                let escaped = scalars[offset + 1]
                guard escaped == "\"" || escaped == "\\" else {
                    throw error(.invalidEscape("\\" + String(escaped)), at: offset)
                }
                value.append(escaped)
                offset += 2
            default:
                value.append(scalar)
                offset += 1
            }
        }
        throw error(.unterminatedFallback, at: quote)
    }

    private func isOpening(at index: Int) -> Bool {
        index + 1 < scalars.count && scalars[index] == "{" && scalars[index + 1] == "{"
    }

    private func isClosing(at index: Int) -> Bool {
        index + 1 < scalars.count && scalars[index] == "}" && scalars[index + 1] == "}"
    }

    /// What may appear in a name before validation; anything else ends it, so the
    /// validation error can quote the whole name the author wrote.
    private func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        !scalar.properties.isWhitespace && scalar != "{" && scalar != "}" && scalar != "|" && scalar != "\""
    }

    private mutating func skipWhitespace() {
        while offset < scalars.count, scalars[offset].properties.isWhitespace {
            offset += 1
        }
    }

    private func text(_ range: Range<Int>) -> String {
        String(String.UnicodeScalarView(scalars[range]))
    }

    /// The text at `index` up to the next whitespace, short enough to quote in an error.
    private func word(at index: Int) -> String {
        let maximumQuotedScalars = 16
        var end = index
        while end < scalars.count, end - index < maximumQuotedScalars, !scalars[end].properties.isWhitespace {
            end += 1
        }
        return text(index..<max(end, index + 1))
    }

    private func error(_ reason: TemplateSyntaxError.Reason, at index: Int) -> TemplateSyntaxError {
        TemplateSyntaxError(reason: reason, position: text(0..<index).count + 1)
    }
}
