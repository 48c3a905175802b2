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

    /// Applies `change` and returns the conversation after it.
    func updateConversation(id: String, change: ConversationChange, now: Timestamp) async throws -> Conversation

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

/// A read position after `markRead`.
public struct ReadMark: Sendable, Equatable {
    /// The caller's read position after the call.
    public var position: Int64
    /// Whether the call moved it (only then is anything written or announced).
    public var moved: Bool

    public init(position: Int64, moved: Bool) {
        self.position = position
        self.moved = moved
    }
}

extension ConversationStore {
    public func createConversation(_ request: NewConversation) async throws -> CreateConversationResult {
        try await createConversation(request, afterCommit: nil)
    }

    public func appendMessage(_ request: NewMessage) async throws -> AppendMessageResult {
        try await appendMessage(request, authorize: nil, afterCommit: nil)
    }
}

/// A message and its place in the store's commit order.
public struct PositionedMessage: Sendable, Hashable {
    public var message: Message
    public var position: Int64

    public init(message: Message, position: Int64) {
        self.message = message
        self.position = position
    }
}

/// What to create. `threadKey` identifies the thread (see `ThreadKey`).
public struct NewConversation: Sendable {
    public var conversationID: String
    public var threadKey: String
    public var participants: [Participant]
    public var productID: String?
    public var orderID: String?
    public var subject: String?
    public var labels: [String]
    public var priority: Priority
    public var now: Timestamp
    /// Posted to the conversation, new or existing.
    public var firstMessage: NewMessage?

    public init(
        conversationID: String, threadKey: String, participants: [Participant], productID: String?, orderID: String?,
        subject: String?, labels: [String], priority: Priority, now: Timestamp, firstMessage: NewMessage?
    ) {
        self.conversationID = conversationID
        self.threadKey = threadKey
        self.participants = participants
        self.productID = productID
        self.orderID = orderID
        self.subject = subject
        self.labels = labels
        self.priority = priority
        self.now = now
        self.firstMessage = firstMessage
    }
}

public struct CreateConversationResult: Sendable {
    public var conversation: Conversation
    public var created: Bool
    /// The posted first message, when the request had one.
    public var firstMessage: AppendMessageResult?

    public init(conversation: Conversation, created: Bool, firstMessage: AppendMessageResult?) {
        self.conversation = conversation
        self.created = created
        self.firstMessage = firstMessage
    }
}

/// A message to append. `conversationID` is ignored inside `NewConversation`.
public struct NewMessage: Sendable {
    public var messageID: String
    public var conversationID: String
    public var senderID: String
    public var content: String
    public var type: MessageType
    public var clientMessageID: String?
    public var now: Timestamp

    public init(
        messageID: String, conversationID: String, senderID: String, content: String, type: MessageType,
        clientMessageID: String?, now: Timestamp
    ) {
        self.messageID = messageID
        self.conversationID = conversationID
        self.senderID = senderID
        self.content = content
        self.type = type
        self.clientMessageID = clientMessageID
        self.now = now
    }
}

public struct AppendMessageResult: Sendable {
    public var message: Message
    /// The conversation as the write left it (participants, assignee, status).
    public var conversation: Conversation
    /// False when an earlier message with the same `clientMessageID` was returned.
    public var created: Bool
    /// True when this message moved the conversation from `closed` to `open`.
    public var reopened: Bool
    /// The message's place in the store's commit order, for resume cursors.
    public var position: Int64

    public init(message: Message, conversation: Conversation, created: Bool, reopened: Bool, position: Int64) {
        self.message = message
        self.conversation = conversation
        self.created = created
        self.reopened = reopened
        self.position = position
    }
}

extension AppendMessageResult {
    /// `request` stored as message `seq` at `position`, and `conversation` as that left it
    /// (its counters and the sender's last seen moved on). For stores, after the write.
    public init(appended request: NewMessage, seq: Int64, position: Int64, to conversation: Conversation, reopened: Bool) {
        var conversation = conversation
        conversation.lastSeq = seq
        conversation.lastActivityAt = max(conversation.lastActivityAt, request.now)
        if let index = conversation.participants.firstIndex(where: { $0.userID.isSameID(as: request.senderID) }) {
            conversation.participants[index].lastSeen = request.now
        }
        let message = Message(
            messageID: request.messageID, conversationID: request.conversationID, seq: seq,
            senderID: request.senderID, content: request.content, timestamp: request.now, readBy: [],
            type: request.type, clientMessageID: request.clientMessageID)
        self.init(message: message, conversation: conversation, created: true, reopened: reopened, position: position)
    }
}

/// A change to a conversation's shared state.
public enum ConversationChange: Sendable, Equatable {
    case status(ConversationStatus)
    case labels([String])
    case priority(Priority)
    case assignee(String?)
}

/// Which messages `messages(conversationID:page:)` returns.
public struct MessagePageRequest: Sendable, Equatable {
    public enum Anchor: Sendable, Equatable {
        case newest
        case before(Int64)
        case after(Int64)
    }

    public var anchor: Anchor
    public var limit: Int

    public init(anchor: Anchor, limit: Int) {
        self.anchor = anchor
        self.limit = limit
    }
}

/// Who is asking for an inbox, and what it wants in it.
public struct ConversationQuery: Sendable, Equatable {
    public enum AssigneeFilter: Sendable, Equatable {
        case user(String)
        case unassigned
    }

    public var viewerID: String
    /// Whether the viewer sees every conversation (support and service).
    public var viewerSeesEverything: Bool
    public var status: ConversationStatus?
    public var label: String?
    public var priority: Priority?
    public var assignedTo: AssigneeFilter?
    public var productID: String?
    public var orderID: String?
    public var archived: Bool
    public var limit: Int
    public var cursor: InboxCursor?

    public init(
        viewerID: String, viewerSeesEverything: Bool, status: ConversationStatus? = nil, label: String? = nil,
        priority: Priority? = nil, assignedTo: AssigneeFilter? = nil, productID: String? = nil, orderID: String? = nil,
        archived: Bool = false, limit: Int = Limits.defaultPageSize, cursor: InboxCursor? = nil
    ) {
        self.viewerID = viewerID
        self.viewerSeesEverything = viewerSeesEverything
        self.status = status
        self.label = label
        self.priority = priority
        self.assignedTo = assignedTo
        self.productID = productID
        self.orderID = orderID
        self.archived = archived
        self.limit = limit
        self.cursor = cursor
    }
}

public struct ConversationListPage: Sendable {
    public var conversations: [ConversationView]
    public var nextCursor: InboxCursor?

    public init(conversations: [ConversationView], nextCursor: InboxCursor?) {
        self.conversations = conversations
        self.nextCursor = nextCursor
    }
}
