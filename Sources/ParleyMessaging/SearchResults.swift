import ParleyCore

/// One page of search results, best first: each message with its snippet.
public struct SearchResults: Sendable {
    public struct Hit: Sendable {
        public var message: Message
        public var snippet: SearchSnippet
    }

    public var hits: [Hit]
    /// Where the next page starts; nil on the last page (or past `SearchCursor.maxOffset`).
    public var nextCursor: SearchCursor?
}
