/// Answer of `GET /api/search`.
public struct SearchResultsBody: Codable, Sendable {
    public struct Result: Codable, Sendable {
        public var message: Message
        public var conversationId: String
        /// The text around the first match, plain text (`…` where cut).
        public var snippet: String
        /// The matched words within `snippet` (UTF-16 ranges), for the client to mark.
        public var highlights: [SearchHighlight]

        public init(message: Message, conversationId: String, snippet: SearchSnippet) {
            self.message = message
            self.conversationId = conversationId
            self.snippet = snippet.text
            self.highlights = snippet.highlights
        }
    }

    public var results: [Result]
    public var nextCursor: String?

    public init(results: [Result], nextCursor: String?) {
        self.results = results
        self.nextCursor = nextCursor
    }

    private enum CodingKeys: String, CodingKey { case results, nextCursor }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(results, forKey: .results)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
