/// The variables a message template may name, and the rule that decides whether a name is one.
///
/// The standard names are filled in by the server from the conversation and the `name`
/// claims it has seen; `custom.NAME` ones are given by the sender when the template is used.
public enum TemplateVariable {
    /// The variables the server knows how to fill, in the contract's order.
    public static let standardNames: [String] = [
        "orderId", "productId", "conversationId", "subject",
        "buyer.name", "seller.name", "agent.name", "me.name",
    ]

    /// What every sender-supplied variable starts with.
    public static let customPrefix = "custom."

    /// Longest `NAME` in `custom.NAME`: long enough for any descriptive key, short enough
    /// that a variable name never dominates an error message or a `variables` list.
    public static let maximumCustomNameLength = 64

    private static let standardNameSet = Set(standardNames)

    /// Whether `name` is a variable a template may use.
    public static func isKnown(_ name: String) -> Bool {
        validationFailure(for: name) == nil
    }

    /// Why `name` is not a usable variable, or `nil` when it is one.
    static func validationFailure(for name: String) -> TemplateSyntaxError.Reason? {
        if standardNameSet.contains(name) { return nil }
        guard name.hasPrefix(customPrefix) else { return .unknownVariable(name) }
        let customName = name.unicodeScalars.dropFirst(customPrefix.unicodeScalars.count)
        guard (1...maximumCustomNameLength).contains(customName.count), customName.allSatisfy(isCustomNameScalar) else {
            return .invalidCustomVariable(name)
        }
        return nil
    }

    /// `[A-Za-z0-9_-]`: ASCII only, so a custom name is the same key in every client's JSON.
    private static func isCustomNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
        default: false
        }
    }
}
