/// A page position in search results, opaque to clients.
public struct SearchCursor: Sendable, Hashable {
    /// Deep pages cost more than they are worth; past this, refine the query.
    public static let maxOffset = 10_000

    public var offset: Int

    public init(offset: Int) { self.offset = offset }

    public var token: String { "s" + String(offset, radix: 36) }

    public init?(token: String) {
        guard token.first == "s", token.count <= 8, let offset = Int(token.dropFirst(), radix: 36), offset >= 0,
            offset <= Self.maxOffset
        else { return nil }
        self.offset = offset
    }
}
