/// The durable truth of every conversation, message and per-user state.
///
/// Implementations (SQLite, PostgreSQL) must pass the same store test suite. Every
/// method that returns after a write has committed it durably: callers announce
/// writes only after they return.
public protocol ConversationStore: Sendable {
    /// Creates the thread with `threadKey`, or returns the existing one (`created == false`).
    /// A `firstMessage` is posted in both cases. `afterCommit` runs once the write has
    /// committed, before this returns, in the order writes committed (so events
    /// announced from it go out in commit order).
    func createConversation(
        _ request: NewConversation, afterCommit: (@Sendable (CreateConversationResult) -> Void)?
    ) async throws -> CreateConversationResult

    /// The conversation, or `nil` when the id is unknown.
    func conversation(id: String) async throws -> Conversation?

    /// The conversation as `userID` sees it, or `nil` when the id is unknown.
    func conversationView(id: String, for userID: String) async throws -> ConversationView?

    /// A page of the inbox described by `query`, newest activity first.
    func listConversations(_ query: ConversationQuery) async throws -> ConversationListPage

    /// A page of messages, ascending by `seq`.
    func messages(conversationID: String, page: MessagePageRequest) async throws -> MessagePage

    /// Appends a message with the next `seq`, or returns the earlier one with the same
    /// `clientMessageID` from the same sender. Moves the sender's read position to it; a
    /// message from a buyer or seller reopens a closed conversation (`Policy`).
    ///
    /// `authorize` sees the conversation inside the write's transaction and throws to
    /// refuse (so the check and the write are atomic); `afterCommit` runs as for
    /// `createConversation`. Throws `notFound` for an unknown conversation.
    func appendMessage(
        _ request: NewMessage, authorize: (@Sendable (Conversation) throws -> Void)?,
        afterCommit: (@Sendable (AppendMessageResult) -> Void)?
    ) async throws -> AppendMessageResult

    /// Messages committed after `position`, in commit order, in every conversation
    /// `userID` takes part in now (as a participant or the assignee). For resume.
    func messages(after position: Int64, visibleTo userID: String, limit: Int) async throws -> [PositionedMessage]

    /// Messages whose positions lie in `range`, in commit order, at most `limit`. For a
    /// node that lost or is still waiting for a live event: it fetches what lies in the gap.
    func messages(inPositions range: ClosedRange<Int64>, limit: Int) async throws -> [PositionedMessage]

    /// The position of the newest message, 0 when there is none.
    func latestPosition() async throws -> Int64

    /// Everyone who shares a conversation with `userID` (participants and assignees),
    /// at most `limit` of them. For presence.
    func relatedUsers(of userID: String, limit: Int) async throws -> [String]

    /// Applies `change` and returns the conversation after it. A change that took effect
    /// appends its audit leaf (`ConversationAudit.change`, done by `actor`) in the same
    /// transaction; one that changed nothing appends none.
    func updateConversation(id: String, change: ConversationChange, now: Timestamp, actor: AuditActor) async throws
        -> Conversation

    /// Replaces the stored sentiment of a message (the classifier's second reading, after
    /// the lexicon's at send). Does nothing for an unknown message.
    func updateSentiment(_ sentiment: Sentiment, ofMessage messageID: String, in conversationID: String) async throws

    /// Moves `userID`'s read position forward to `seq` (never back) and returns the
    /// position after, and whether it moved. A read that does not move the position
    /// writes nothing (not even the last-seen time).
    func markRead(conversationID: String, userID: String, seq: Int64, now: Timestamp) async throws -> ReadMark

    /// Archives or unarchives the conversation for `userID` only.
    func setArchived(conversationID: String, userID: String, archived: Bool) async throws

    /// Messages matching every term of `query` that its viewer may see, best first
    /// (ties: newest first). The index is written in the same transaction as the message.
    func search(_ query: SearchQuery) async throws -> SearchPage

    /// Remembers that `userID` signed in with a `support` token (idempotent), so that it
    /// may be assigned conversations.
    func recordSupportAgent(_ userID: String, now: Timestamp) async throws

    /// Whether `userID` ever signed in with a `support` token.
    func isSupportAgent(_ userID: String) async throws -> Bool

    /// Throws when the store cannot answer (for `/ready`).
    func checkReady() async throws
}

extension ConversationStore {
    public func createConversation(_ request: NewConversation) async throws -> CreateConversationResult {
        try await createConversation(request, afterCommit: nil)
    }

    public func appendMessage(_ request: NewMessage) async throws -> AppendMessageResult {
        try await appendMessage(request, authorize: nil, afterCommit: nil)
    }

    /// A change the server decides by itself: its audit leaf names the server
    /// (`AuditActor.system`).
    public func updateConversation(id: String, change: ConversationChange, now: Timestamp) async throws -> Conversation {
        try await updateConversation(id: id, change: change, now: now, actor: .system)
    }
}
