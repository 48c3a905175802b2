import Logging
import ParleyCore
import ParleyRealtime

/// The node's messaging service: every operation of the API, in one straight path —
/// validate, check the policy, do it in the store (the truth), then publish the events.
///
/// REST routes and WebSocket frames both call this, so both behave the same.
public struct MessagingService: Sendable {
    public let store: any ConversationStore
    public let hub: Hub
    let clock: any WallClock
    let rateLimiter: RateLimiter
    let logger: Logger

    public init(store: any ConversationStore, hub: Hub, clock: any WallClock, rateLimiter: RateLimiter, logger: Logger) {
        self.store = store
        self.hub = hub
        self.clock = clock
        self.rateLimiter = rateLimiter
        self.logger = logger
    }

    // MARK: Conversations

    /// Creates a thread or returns the existing one (`created == false`), posting the
    /// request's first message in both cases.
    public func createConversation(_ body: CreateConversationBody, by principal: Principal) async throws
        -> (view: ConversationView, created: Bool)
    {
        try rateLimiter.take(principal.userID)
        let participants = try Self.validatedParticipants(body.participants)
        try Policy.requireCanCreate(principal, participants: participants)
        if let productID = body.productId { try Validation.externalID(productID, field: "productId") }
        if let orderID = body.orderId { try Validation.externalID(orderID, field: "orderId") }
        if let subject = body.subject { try Validation.subject(subject) }
        let labels = try Validation.labels(body.labels ?? [])
        let now = clock.now()
        var firstMessage: NewMessage?
        if let message = body.message {
            let type = message.type ?? .text
            try Validation.content(message.content, field: "message.content")
            try Policy.requireCanPost(principal, type: type)
            if let clientMessageID = message.clientMessageId {
                try Validation.externalID(clientMessageID, field: "message.clientMessageId")
            }
            firstMessage = NewMessage(
                messageID: Identifier.make(prefix: "m"), conversationID: "", senderID: principal.userID,
                content: message.content, type: type, clientMessageID: message.clientMessageId, now: now)
        }
        let request = NewConversation(
            conversationID: Identifier.make(prefix: "c"),
            threadKey: ThreadKey.make(
                participantIDs: participants.map(\.userID), productID: body.productId, orderID: body.orderId),
            participants: participants, productID: body.productId, orderID: body.orderId, subject: body.subject,
            labels: labels, priority: body.priority ?? .medium, now: now, firstMessage: firstMessage)
        let hub = self.hub
        let result = try await store.createConversation(request) { result in
            if let message = result.firstMessage, message.created {
                Self.publishMessage(message, to: hub)
            }
        }
        if result.created {
            logger.info(
                "conversation created",
                metadata: ["conversation": "\(result.conversation.conversationID)", "by": "\(principal.userID)"])
            await publishUpdate(result.conversation)
        } else if result.firstMessage?.reopened == true {
            await publishUpdate(result.conversation)
        }
        guard let view = try await store.conversationView(id: result.conversation.conversationID, for: principal.userID)
        else { throw ParleyError.notFound(what: "conversation") }
        return (view, result.created)
    }

    public func conversation(_ id: String, for principal: Principal) async throws -> ConversationView {
        let conversation = try await visibleConversation(id, for: principal)
        guard let view = try await store.conversationView(id: conversation.conversationID, for: principal.userID) else {
            throw ParleyError.notFound(what: "conversation")
        }
        return view
    }

    public func listConversations(_ query: ConversationQuery) async throws -> ConversationListPage {
        try await store.listConversations(query)
    }

    /// Changes status, labels, priority or assignee and tells everyone concerned.
    public func change(_ id: String, _ change: ConversationChange, by principal: Principal) async throws
        -> ConversationView
    {
        try rateLimiter.take(principal.userID)
        var change = change
        switch change {
        case .labels(let labels): change = .labels(try Validation.labels(labels))
        case .assignee(let assignee?): try Validation.userID(assignee, field: "assignedTo")
        case .status, .priority, .assignee(nil): break
        }
        let before = try await visibleConversation(id, for: principal)
        try Policy.requireCanChange(principal, before, change)
        if case .assignee(let assignee?) = change {
            try Policy.requireAssignable(isKnownAgent: try await store.isSupportAgent(assignee))
        }
        let after = try await store.updateConversation(id: id, change: change, now: clock.now())
        logger.info("conversation changed", metadata: ["conversation": "\(id)", "by": "\(principal.userID)", "change": "\(change)"])
        // A previous assignee hears that it is no longer assigned.
        await publishUpdate(after, alsoTo: [before.assignedTo].compactMap { $0 })
        return try await conversation(id, for: principal)
    }

    /// Archives or unarchives for the caller only.
    public func setArchived(_ id: String, archived: Bool, by principal: Principal) async throws -> ConversationView {
        try rateLimiter.take(principal.userID)
        _ = try await visibleConversation(id, for: principal)
        try await store.setArchived(conversationID: id, userID: principal.userID, archived: archived)
        let view = try await self.conversation(id, for: principal)
        hub.publish(Delivery(recipients: [principal.userID], event: .conversationUpdated(view)))
        return view
    }

    // MARK: Messages

    public func messages(_ id: String, page: MessagePageRequest, for principal: Principal) async throws -> MessagePage {
        _ = try await visibleConversation(id, for: principal)
        return try await store.messages(conversationID: id, page: page)
    }

    /// Stores a message (or returns the earlier one with the same `clientMessageId`),
    /// then announces it.
    public func send(_ id: String, _ body: SendMessageBody, by principal: Principal) async throws
        -> AppendMessageResult
    {
        try rateLimiter.take(principal.userID)
        let type = body.type ?? .text
        try Validation.content(body.content)
        if let clientMessageID = body.clientMessageId { try Validation.externalID(clientMessageID, field: "clientMessageId") }
        let hub = self.hub
        let result = try await store.appendMessage(
            NewMessage(
                messageID: Identifier.make(prefix: "m"), conversationID: id, senderID: principal.userID,
                content: body.content, type: type, clientMessageID: body.clientMessageId, now: clock.now()),
            authorize: { conversation in try Policy.requireCanSend(principal, conversation, type: type) },
            afterCommit: { result in
                if result.created { Self.publishMessage(result, to: hub) }
            })
        if result.reopened { await publishUpdate(result.conversation) }
        return result
    }

    /// Moves the caller's read position forward to `seq` and tells the others. A read
    /// that does not move the position changes and announces nothing.
    public func markRead(_ id: String, seq: Int64, by principal: Principal) async throws -> ReadPositionBody {
        try rateLimiter.take(principal.userID)
        if seq < 0 { throw ParleyError.invalid(field: "seq", reason: "must be 0 or more") }
        let conversation = try await visibleConversation(id, for: principal)
        let mark = try await store.markRead(conversationID: id, userID: principal.userID, seq: seq, now: clock.now())
        if mark.moved {
            hub.publish(
                Delivery(
                    recipients: Self.audience(of: conversation),
                    event: .read(conversationID: id, userID: principal.userID, seq: mark.position)))
        }
        return ReadPositionBody(conversationId: id, userId: principal.userID, seq: mark.position)
    }

    // MARK: Search

    /// Messages the caller may see that match `text`, best first, with snippets.
    public func search(_ text: String, query: SearchQuery, by principal: Principal) async throws -> SearchResultsBody {
        try rateLimiter.take(principal.userID)
        var query = query
        query.viewerID = principal.userID
        query.viewerSeesEverything = principal.role.seesEverything
        query.terms = try Self.searchTerms(text)
        let page = try await store.search(query)
        let results = page.messages.map { message in
            SearchResultsBody.Result(
                message: message, conversationId: message.conversationID,
                snippet: SearchSnippet.make(content: message.content, terms: query.terms))
        }
        let next = page.hasMore ? SearchCursor(offset: query.offset + query.limit) : nil
        return SearchResultsBody(results: results, nextCursor: next.flatMap { $0.offset <= SearchCursor.maxOffset ? $0.token : nil })
    }

    /// The terms of a search's `q`, or the reason it is refused: empty, over 256 bytes,
    /// over 16 words, or a prefix (`a*`) shorter than two letters — each word is a walk
    /// over the index, and a one-letter prefix a walk over nearly all of it.
    static func searchTerms(_ text: String) throws(ParleyError) -> [QueryTerm] {
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty { throw .invalid(field: "q", reason: "must not be empty") }
        if trimmed.utf8.count > Limits.maxSearchQueryBytes {
            throw .invalid(field: "q", reason: "longer than \(Limits.maxSearchQueryBytes) bytes of UTF-8")
        }
        if TextAnalyzer.words(trimmed).count > Limits.maxSearchWords {
            throw .invalid(field: "q", reason: "more than \(Limits.maxSearchWords) words")
        }
        let terms = TextAnalyzer.queryTerms(trimmed)
        if terms.contains(where: { $0.isPrefix && $0.alternatives[0].unicodeScalars.count < Limits.minSearchPrefixCharacters }) {
            throw .invalid(
                field: "q", reason: "a prefix (word*) needs at least \(Limits.minSearchPrefixCharacters) letters")
        }
        return terms
    }

    // MARK: Real time

    /// Counts one state-changing or costly request of `principal` against its rate
    /// limit, for operations outside this service (realtime tickets, resume replays).
    public func admitWrite(by principal: Principal) throws(ParleyError) {
        try rateLimiter.take(principal.userID)
    }

    /// Tells the other participants (and the assignee) that the caller is typing. Never stored.
    public func typing(_ id: String, state: TypingState, by principal: Principal) async throws {
        try rateLimiter.take(principal.userID)
        let conversation = try await visibleConversation(id, for: principal)
        let recipients = Self.audience(of: conversation).filter { !$0.isSameID(as: principal.userID) }
        hub.publish(Delivery(recipients: recipients, event: .typing(conversationID: id, userID: principal.userID, state: state)))
    }

    /// Whether a resume may start at `position`: it is not beyond the newest message, and
    /// the message at (or just after) it is younger than `Limits.resumeCursorLifetime`.
    /// A cursor from long ago would make the resume walk everything committed since;
    /// its client reloads through REST instead (`cursor_expired`).
    public func resumeCursorIsCurrent(_ position: Int64) async throws -> Bool {
        let latest = try await store.latestPosition()
        guard position <= latest else { return false }
        guard position < latest else { return true }
        guard let first = try await store.messages(inPositions: max(position, 1)...latest, limit: 1).first else { return true }
        let oldest = clock.now().millisecondsSince1970 - Limits.resumeCursorLifetime.components.seconds * 1000
        return first.message.timestamp.millisecondsSince1970 >= oldest
    }

    /// Messages after `cursor` that `principal` may see now, in commit order, a page at a time.
    public func messagesForResume(after position: Int64, for principal: Principal, limit: Int) async throws
        -> [PositionedMessage]
    {
        try await store.messages(after: position, visibleTo: principal.userID, limit: limit)
    }

    // MARK: Helpers

    /// The conversation, if `principal` may see it; otherwise `notFound`, as for an unknown id.
    func visibleConversation(_ id: String, for principal: Principal) async throws -> Conversation {
        guard let conversation = try await store.conversation(id: id) else { throw ParleyError.notFound(what: "conversation") }
        try Policy.requireVisible(principal, conversation)
        return conversation
    }

    /// The store as the hub's log of messages: what a node reads when a live
    /// `message.new` is late or lost (see `MessageSequencer`).
    static func messageLog(of store: some ConversationStore) -> MessageLog {
        MessageLog(
            latestPosition: { try await store.latestPosition() },
            deliveries: { range, limit in
                var conversations: [String: Conversation] = [:]
                var deliveries: [(position: Int64, delivery: Delivery)] = []
                for positioned in try await store.messages(inPositions: range, limit: limit) {
                    let id = positioned.message.conversationID
                    if conversations[id] == nil { conversations[id] = try await store.conversation(id: id) }
                    guard let conversation = conversations[id] else { continue }
                    deliveries.append(
                        (positioned.position, delivery(of: positioned.message, at: positioned.position, in: conversation)))
                }
                return deliveries
            })
    }

    /// Participants and the assignee: who hears of a conversation's events.
    static func audience(of conversation: Conversation) -> [String] {
        var users = conversation.participants.map(\.userID)
        if let assignee = conversation.assignedTo, !users.contains(where: { $0.isSameID(as: assignee) }) {
            users.append(assignee)
        }
        return users
    }

    /// Announces a committed message to every participant, the assignee and the sender.
    /// Called from the store's `afterCommit`, so messages are announced in commit order.
    static func publishMessage(_ result: AppendMessageResult, to hub: Hub) {
        hub.publish(delivery(of: result.message, at: result.position, in: result.conversation))
    }

    /// `message.new` for every participant, the assignee and the sender, with its cursor.
    static func delivery(of message: Message, at position: Int64, in conversation: Conversation) -> Delivery {
        var recipients = audience(of: conversation)
        if !recipients.contains(where: { $0.isSameID(as: message.senderID) }) { recipients.append(message.senderID) }
        return Delivery(
            recipients: recipients, event: .messageNew(message: message, cursor: ResumeCursor(position: position).token))
    }

    /// Sends `conversation.updated` to each participant and the assignee, each with its
    /// own unread count and archive flag.
    private func publishUpdate(_ conversation: Conversation, alsoTo extra: [String] = []) async {
        var recipients = Self.audience(of: conversation)
        for user in extra where !recipients.contains(where: { $0.isSameID(as: user) }) { recipients.append(user) }
        for userID in recipients {
            guard let view = try? await store.conversationView(id: conversation.conversationID, for: userID) else { continue }
            hub.publish(Delivery(recipients: [userID], event: .conversationUpdated(view)))
        }
    }

    static func validatedParticipants(_ bodies: [CreateConversationBody.ParticipantBody]) throws(ParleyError)
        -> [Participant]
    {
        if bodies.count < Limits.minParticipants || bodies.count > Limits.maxParticipants {
            throw .invalid(
                field: "participants", reason: "must list \(Limits.minParticipants) to \(Limits.maxParticipants) participants")
        }
        var seen = Set<OpaqueID>()
        var participants: [Participant] = []
        for (index, body) in bodies.enumerated() {
            try Validation.userID(body.userId, field: "participants[\(index)].userId")
            if !seen.insert(OpaqueID(body.userId)).inserted {
                throw .invalid(field: "participants[\(index)].userId", reason: "listed twice")
            }
            participants.append(Participant(userID: body.userId, role: body.role))
        }
        return participants
    }
}
