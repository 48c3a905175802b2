/// The content of a message template, parsed: literal text and `{{ variable }}` /
/// `{{ variable | "fallback" }}` placeholders.
///
/// ```swift
/// let text = try MessageTemplateText.parse(#"Hola {{buyer.name | "cliente"}}, tu pedido {{orderId}} sale hoy."#)
/// text.variables                          // ["buyer.name", "orderId"]
/// text.render(values: ["orderId": "1234"]) // .rendered("Hola cliente, tu pedido 1234 sale hoy.")
/// ```
///
/// Parsing happens when a template is saved (a `TemplateSyntaxError` is the `400`);
/// rendering when it is used. Variable names are listed in `TemplateVariable`.
public struct MessageTemplateText: Sendable, Equatable {
    /// Most placeholders one template may hold. A canned reply with more is a form, not a
    /// message; the bound also caps the `variables` list and the work of each render.
    public static let maximumPlaceholders = 50

    /// The content as it was given.
    public let content: String
    /// Every variable the content names, in order of first appearance, each once: the
    /// contract's `variables` field.
    public let variables: [String]
    private let segments: [TemplateSegment]

    private init(content: String, segments: [TemplateSegment]) {
        self.content = content
        self.segments = segments
        var seen = Set<String>()
        variables = segments.compactMap { segment in
            guard case .placeholder(let placeholder) = segment, seen.insert(placeholder.name).inserted else { return nil }
            return placeholder.name
        }
    }

    /// Parses `content`, failing on an unknown variable, malformed placeholder syntax or
    /// more than `maximumPlaceholders` placeholders. Content length is the caller's to bound.
    public static func parse(_ content: String) throws(TemplateSyntaxError) -> MessageTemplateText {
        MessageTemplateText(content: content, segments: try TemplateParser.parse(content))
    }

    /// Fills the placeholders: a variable's value when it has a non-empty one, else its
    /// fallback. Keys the template does not name are ignored. When some variable has
    /// neither, the result lists every such variable instead of the text.
    public func render(values: [String: String]) -> TemplateRendering {
        var builder = BraceSafeTextBuilder()
        var missing = Set<String>()
        for segment in segments {
            switch segment {
            case .literal(let text):
                builder.append(text)
            case .placeholder(let placeholder):
                if let value = values[placeholder.name], !value.isEmpty {
                    builder.append(value)
                } else if let fallback = placeholder.fallback {
                    builder.append(fallback)
                } else {
                    missing.insert(placeholder.name)
                }
            }
        }
        return missing.isEmpty ? .rendered(builder.text) : .missingVariables(missing.sorted())
    }
}
