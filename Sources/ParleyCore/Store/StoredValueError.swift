/// A value read back from a store that no version of Parley writes: an unknown role,
/// status, priority or message type, labels that are not a JSON array of strings, a
/// NULL or mistyped column.
///
/// Such data was damaged or written by hand. Rather than show a guess in its place (an
/// unknown role read as `buyer` would hand out a buyer's rights), the read fails; the
/// server logs the error and answers 500 `internal_error` — it is not the caller's fault
/// and retrying does not help.
public struct StoredValueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the value lies, as `table.column`.
    public var column: String
    /// The row's key (a conversation, participant or message), to find it by.
    public var row: String
    /// The value as read, cut to `maxQuotedCharacters`.
    public var value: String

    /// Enough of a bad value to recognise it; a log line stays short whatever was stored.
    static let maxQuotedCharacters = 100

    public init(column: String, row: String, value: String) {
        self.column = column
        self.row = row
        self.value = value.count > Self.maxQuotedCharacters ? String(value.prefix(Self.maxQuotedCharacters)) + "…" : value
    }

    public var description: String {
        "stored value error: \(column) of \(row) holds \(value.debugDescription), which Parley never writes"
    }
}
