/// How far search ranks, and how a store cuts a page of results: shared by both stores.
///
/// A store walks its index newest first and stops after `newestMatches` matches the
/// viewer may see; those are ranked best first (ties: newest first), and the page is
/// `fetchLimit` of them from `offset`, cut by `page(fromRows:)`. A common word in a large
/// store then costs a bounded walk instead of scoring every match.
public struct SearchWindow: Sendable, Equatable {
    /// Newest matching messages that search ranks; older matches are reached by narrowing
    /// the query (a conversation, a sender, a time range).
    public static let newestMatches = 2_000

    public let limit: Int
    public let offset: Int

    public init(_ query: SearchQuery) {
        limit = query.limit
        offset = query.offset
    }

    /// One more than the page, to learn whether more follow.
    public var fetchLimit: Int { limit + 1 }

    /// The page among rows read best first, and whether more follow.
    public func page<Row>(fromRows rows: [Row]) -> (rows: [Row], hasMore: Bool) {
        (Array(rows.prefix(limit)), rows.count > limit)
    }
}
