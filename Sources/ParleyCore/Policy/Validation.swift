/// Checks of client input that do not depend on stored state. Each failure names the
/// field and the reason.
public enum Validation {
    /// A user id: 1 to 128 bytes of UTF-8, no control characters.
    public static func userID(_ value: String, field: String) throws(ParleyError) {
        try identifier(value, field: field, maxBytes: Limits.maxUserIDBytes)
    }

    /// An external key such as a product, order or client message id, or a conversation id.
    public static func externalID(_ value: String, field: String) throws(ParleyError) {
        try identifier(value, field: field, maxBytes: Limits.maxExternalIDBytes)
    }

    private static func identifier(_ value: String, field: String, maxBytes: Int) throws(ParleyError) {
        if value.isEmpty { throw .invalid(field: field, reason: "must not be empty") }
        if value.utf8.count > maxBytes { throw .invalid(field: field, reason: "longer than \(maxBytes) bytes of UTF-8") }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .invalid(field: field, reason: "must not contain control characters")
        }
    }

    /// Message content: 1 to 16,384 bytes of UTF-8, not only whitespace.
    public static func content(_ value: String, field: String = "content") throws(ParleyError) {
        if value.utf8.count > Limits.maxContentBytes { throw .tooLarge(field: field, limit: Limits.maxContentBytes) }
        if value.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            throw .invalid(field: field, reason: "must contain something other than whitespace")
        }
        try noNUL(value, field: field)
    }

    /// The caption of an `image` or `file` message: like content, but may be empty.
    public static func caption(_ value: String, field: String = "content") throws(ParleyError) {
        if value.utf8.count > Limits.maxContentBytes { throw .tooLarge(field: field, limit: Limits.maxContentBytes) }
        try noNUL(value, field: field)
    }

    /// A required piece of text (a template's name, an FAQ question): 1 to `maxBytes` bytes
    /// of UTF-8, not only whitespace, no NUL.
    public static func text(_ value: String, field: String, maxBytes: Int) throws(ParleyError) {
        if value.utf8.count > maxBytes { throw .invalid(field: field, reason: "longer than \(maxBytes) bytes of UTF-8") }
        if value.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            throw .invalid(field: field, reason: "must contain something other than whitespace")
        }
        try noNUL(value, field: field)
    }

    /// U+0000 ends strings in C and PostgreSQL cannot store it in text: refused everywhere.
    private static func noNUL(_ value: String, field: String) throws(ParleyError) {
        if value.utf8.contains(0) { throw .invalid(field: field, reason: "must not contain the NUL character (U+0000)") }
    }

    /// A subject: at most 512 bytes of UTF-8.
    public static func subject(_ value: String) throws(ParleyError) {
        if value.utf8.count > Limits.maxSubjectBytes {
            throw .invalid(field: "subject", reason: "longer than \(Limits.maxSubjectBytes) bytes of UTF-8")
        }
        try noNUL(value, field: "subject")
    }

    /// Labels: at most 20, each 1 to 64 bytes of UTF-8; duplicates (the same bytes) are
    /// dropped, order kept.
    public static func labels(_ values: [String], field: String = "labels") throws(ParleyError) -> [String] {
        if values.count > Limits.maxLabels * 4 {
            // Bounds the work below on a huge list, before each label is looked at.
            throw .invalid(field: field, reason: "more than \(Limits.maxLabels) labels")
        }
        var seen = Set<OpaqueID>()
        var result: [String] = []
        for (index, value) in values.enumerated() {
            let trimmed = try label(value, field: "\(field)[\(index)]")
            if seen.insert(OpaqueID(trimmed)).inserted { result.append(trimmed) }
        }
        if result.count > Limits.maxLabels { throw .invalid(field: field, reason: "more than \(Limits.maxLabels) labels") }
        return result
    }

    /// One label, trimmed: 1 to 64 bytes of UTF-8, no NUL.
    public static func label(_ value: String, field: String) throws(ParleyError) -> String {
        let trimmed = value.trimmingWhitespace()
        if trimmed.isEmpty { throw .invalid(field: field, reason: "must not be empty") }
        if trimmed.utf8.count > Limits.maxLabelBytes {
            throw .invalid(field: field, reason: "longer than \(Limits.maxLabelBytes) bytes of UTF-8")
        }
        try noNUL(trimmed, field: field)
        return trimmed
    }

    /// A page size: default when absent, 1 through `maximum` otherwise.
    public static func pageLimit(_ value: Int?, default defaultValue: Int, maximum: Int) throws(ParleyError) -> Int {
        guard let value else { return defaultValue }
        if value < 1 || value > maximum { throw .invalid(field: "limit", reason: "must be between 1 and \(maximum)") }
        return value
    }
}

extension String {
    /// The string without leading and trailing Unicode whitespace.
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
