/// One page of an inbox, as of a snapshot: the algorithm both stores share; only their
/// SQL is their own.
///
/// The inbox is ordered by activity, newest first, as of `snapshot` (see `InboxCursor`),
/// so a conversation that gets a message while a client pages keeps its place and is
/// neither skipped nor repeated. A store reads each `Part` with one keyset query (the
/// `filters`, the conversations the viewer may see, created at or before the snapshot,
/// strictly after `after` in inbox order, at most `fetchLimit` rows, each with its
/// `InboxEntry`) and hands everything it read to `select`.
///
/// ```swift
/// let page = InboxPage(query, snapshot: query.cursor?.snapshot ?? newestPosition)
/// var candidates: [Row] = []
/// for part in InboxPage.Part.allCases { candidates += try read(part, page) }
/// let (rows, nextCursor) = page.select(candidates) { $0.entry }
/// ```
public struct InboxPage: Sendable, Equatable {
    /// The two reads of a page.
    public enum Part: Sendable, CaseIterable {
        /// Conversations with no message after the snapshot (almost all), placed by their
        /// last activity: a keyset walk over the activity index.
        case unchangedSinceSnapshot
        /// Conversations given a message after the snapshot (few), placed by their
        /// activity as of it: the time of their newest message at or before the
        /// snapshot, else their creation.
        case changedSinceSnapshot
    }

    /// The store's newest message position the page is read as of.
    public let snapshot: Int64
    /// The last conversation of the page before; `nil` on a first page.
    public let after: InboxCursor?
    public let limit: Int
    public let filters: [InboxFilter]
    /// Whose read positions and archive the page shows.
    public let viewerID: String
    /// `nil` when the viewer sees every conversation (support and service); otherwise only
    /// those it takes part in.
    public let participantID: String?

    /// A page of `query` as of `snapshot`: the cursor's, or for a first page the store's
    /// newest message position now.
    public init(_ query: ConversationQuery, snapshot: Int64) {
        self.snapshot = snapshot
        after = query.cursor
        limit = query.limit
        filters = InboxFilter.conditions(of: query)
        viewerID = query.viewerID
        participantID = query.viewerSeesEverything ? nil : query.viewerID
    }

    /// Rows to read in each part: one more than the page, to learn whether another follows.
    public var fetchLimit: Int { limit + 1 }

    /// The page among `candidates` (every row both parts read): in inbox order, each
    /// conversation once, at most `limit`; and the cursor of the next page when more
    /// follow. Two parts read at different moments (PostgreSQL) can both hold a
    /// conversation that got a message in between: its first (newest) place is kept.
    public func select<Candidate>(
        _ candidates: [Candidate], entry: (Candidate) -> InboxEntry
    )
        -> (page: [Candidate], nextCursor: InboxCursor?)
    {
        var seen = Set<String>()
        let ordered = candidates.map { (entry($0), $0) }
            .sorted { $0.0.precedes($1.0) }
            .filter { seen.insert($0.0.conversationID).inserted }
        let page = ordered.prefix(limit)
        var nextCursor: InboxCursor?
        if ordered.count > limit, let last = page.last {
            nextCursor = InboxCursor(
                snapshot: snapshot, lastActivityAt: last.0.activityAt, conversationID: last.0.conversationID)
        }
        return (page.map(\.1), nextCursor)
    }
}
