/// A checkpoint, key or leaf that is not in the audit log's format; the text names the
/// field and what was expected.
public struct AuditFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
