/// A search over messages, as one caller may see them.
public struct SearchQuery: Sendable, Equatable {
    public var viewerID: String
    /// Whether the viewer sees every conversation (support and service).
    public var viewerSeesEverything: Bool
    /// Every term must match (one of its alternatives); see `TextAnalyzer.queryTerms`.
    public var terms: [QueryTerm]
    public var conversationID: String?
    public var senderID: String?
    public var from: Timestamp?
    public var to: Timestamp?
    public var limit: Int
    /// Results already returned by earlier pages.
    public var offset: Int

    public init(
        viewerID: String, viewerSeesEverything: Bool, terms: [QueryTerm], conversationID: String? = nil,
        senderID: String? = nil, from: Timestamp? = nil, to: Timestamp? = nil, limit: Int = Limits.defaultSearchPageSize,
        offset: Int = 0
    ) {
        self.viewerID = viewerID
        self.viewerSeesEverything = viewerSeesEverything
        self.terms = terms
        self.conversationID = conversationID
        self.senderID = senderID
        self.from = from
        self.to = to
        self.limit = limit
        self.offset = offset
    }
}
