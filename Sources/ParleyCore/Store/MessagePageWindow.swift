/// How a store reads a page of one conversation's messages (`MessagePageRequest`), and
/// makes the page of what it read: the anchor logic both stores share.
///
/// A store reads at most `fetchLimit` messages past the anchor (`newest`: all; `before`:
/// `seq` below it; `after`: above it), newest first when `readsNewestFirst` (so the limit
/// keeps those nearest the anchor), and hands them to `page(fromRowsAsRead:)`.
public struct MessagePageWindow: Sendable, Equatable {
    public let anchor: MessagePageRequest.Anchor
    public let limit: Int

    public init(_ request: MessagePageRequest) {
        anchor = request.anchor
        limit = request.limit
    }

    /// One more than the page, to learn whether more lie beyond it.
    public var fetchLimit: Int { limit + 1 }

    /// `newest` and `before` walk back from the anchor; `after` walks forward.
    public var readsNewestFirst: Bool {
        switch anchor {
        case .newest, .before: true
        case .after: false
        }
    }

    /// The page, ascending by `seq`, from rows in the order read; `hasMore` when a row lay
    /// beyond the page in the direction of travel.
    public func page<Row>(fromRowsAsRead rows: [Row]) -> (rows: [Row], hasMore: Bool) {
        let hasMore = rows.count > limit
        // The extra row lies beyond the page in the direction of travel.
        let page = readsNewestFirst ? Array(rows.prefix(limit).reversed()) : Array(rows.prefix(limit))
        return (page, hasMore)
    }
}
