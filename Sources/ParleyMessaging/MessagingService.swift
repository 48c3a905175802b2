import CoreMetrics
import Logging
import ParleyCore
import ParleyRealtime

/// The application: every operation of the API as a domain command, in one straight
/// path — validate, check the policy, do it in the store (the truth), then publish the
/// events to the hub, which delivers them.
///
/// The REST controllers and the WebSocket connection both turn what they read into
/// these calls, so both behave the same; nothing here knows of HTTP or frames. Stored
/// messages are counted here, once, whichever adapter sent them.
public struct MessagingService: Sendable {
    let store: any ConversationStore
    let hub: Hub
    let clock: any WallClock
    let rateLimiter: RateLimiter
    let messagesStored: any CounterHandler
    let logger: Logger
    /// Buyer messages for the assistant, when assist runs on this node.
    let autoAnswers: AutoAnswerQueue?
    /// Masking and the lexicon's sentiment on the send path; nil: neither.
    let screener: MessageScreener?
    /// The classifier's second reading and escalation, after the commit; nil: neither.
    let sentimentReview: SentimentReview?
    /// When Web Push runs: a read that moves past a pushed message queues the `read` push
    /// that clears its notification on the user's other devices. Nil: no Web Push.
    let pushReads: (any NotificationStore)?
    /// Whether every escalation also requests a help-desk ticket (`--ticket-on-escalation`).
    let ticketOnEscalation: Bool
    /// End-to-end encryption's device directory, key sets and reports; nil: encrypted
    /// conversations are refused.
    let encryption: (any EncryptionStore)?
    /// Signs franking receipts with the audit key.
    let franking: FrankingSigner
    /// Support reads already in the audit log (`MessagingService+Audit`), shared by copies.
    let auditThrottle = AuditThrottle()
    /// Device changes per user (`E2EELimits.maxDeviceChangesPerHour`), in memory on this
    /// node, shared by copies.
    let deviceChanges = RateLimiter(
        ratePerSecond: Double(E2EELimits.maxDeviceChangesPerHour) / 3_600, burst: Double(E2EELimits.maxDeviceChangesPerHour))

    /// - Parameter messagesStored: counts each message this node commits (not retries
    ///   that return an earlier message).
    public init(
        store: any ConversationStore, hub: Hub, clock: any WallClock, rateLimiter: RateLimiter,
        messagesStored: any CounterHandler, logger: Logger, autoAnswers: AutoAnswerQueue? = nil,
        screener: MessageScreener? = nil, sentimentReview: SentimentReview? = nil,
        pushReads: (any NotificationStore)? = nil, ticketOnEscalation: Bool = false,
        encryption: (any EncryptionStore)? = nil, franking: FrankingSigner? = nil
    ) {
        self.encryption = encryption
        self.franking = franking ?? .ephemeral()
        self.pushReads = pushReads
        self.ticketOnEscalation = ticketOnEscalation
        self.autoAnswers = autoAnswers
        self.screener = screener
        self.sentimentReview = sentimentReview
        self.store = store
        self.hub = hub
        self.clock = clock
        self.rateLimiter = rateLimiter
        self.messagesStored = messagesStored
        self.logger = logger
    }

    // MARK: Conversations

    /// Creates a thread or returns the existing one (`created == false`), posting the
    /// command's first message in both cases.
    public func createConversation(
        _ command: CreateConversation, by principal: Principal
    ) async throws
        -> CreatedConversation
    {
        try rateLimiter.take(principal.userID)
        let participants = try Self.validatedParticipants(command.participants)
        try Policy.requireCanCreate(principal, participants: participants)
        if let productID = command.productID { try Validation.externalID(productID, field: "productId") }
        if let orderID = command.orderID { try Validation.externalID(orderID, field: "orderId") }
        if let subject = command.subject { try Validation.subject(subject) }
        let labels = try Validation.labels(command.labels)
        let now = clock.now()
        var firstMessage: NewMessage?
        if command.encrypted {
            guard encryption != nil else {
                throw ParleyError.invalid(field: "encrypted", reason: "end-to-end encryption is not available on this server")
            }
            // Its messages sign the conversation id, which the client learns only now.
            if command.firstMessage != nil {
                throw ParleyError.invalid(
                    field: "message", reason: "an encrypted conversation starts without a message: send it encrypted once created")
            }
        }
        if let draft = command.firstMessage {
            // Ciphertext signs the conversation id, so it can never be a creation's message.
            if draft.encrypted != nil {
                throw ParleyError.invalid(
                    field: "message.encrypted",
                    reason: "a conversation starts with a plain message or none: create it with \"encrypted\": true, then send encrypted")
            }
            try draft.validate(fieldPrefix: "message.")
            try Policy.requireCanPost(principal, type: draft.type)
            firstMessage = NewMessage(
                messageID: Identifier.make(prefix: "m"), conversationID: "", senderID: principal.userID,
                content: draft.content, type: draft.type, clientMessageID: draft.clientMessageID, now: now,
                screening: screener?.screening(of: draft.content, type: draft.type))
        }
        let request = NewConversation(
            conversationID: Identifier.make(prefix: "c"),
            threadKey: Self.threadKey(command, participants: participants),
            participants: participants, productID: command.productID, orderID: command.orderID, subject: command.subject,
            labels: labels, priority: command.priority, now: now, firstMessage: firstMessage, encrypted: command.encrypted,
            auditActor: AuditActor(principal))
        let result = try await store.createConversation(request) { result in
            if let message = result.firstMessage, message.created { announce(message) }
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
        return CreatedConversation(
            view: view, created: result.created, storedFirstMessage: result.firstMessage?.created == true)
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
    public func change(
        _ id: String, _ change: ConversationChange, by principal: Principal
    ) async throws
        -> ConversationView
    {
        try rateLimiter.take(principal.userID)
        var change = change
        switch change {
        case .labels(let labels): change = .labels(try Validation.labels(labels))
        case .assignee(let assignee?): try Validation.userID(assignee, field: "assignedTo")
        case .status, .priority, .assignee(nil), .escalate, .ticket: break
        }
        let before = try await visibleConversation(id, for: principal)
        try Policy.requireCanChange(principal, before, change)
        if case .assignee(let assignee?) = change {
            try Policy.requireAssignable(isKnownAgent: try await store.isSupportAgent(assignee))
        }
        let after = try await store.updateConversation(id: id, change: change, now: clock.now(), actor: AuditActor(principal))
        logger.info("conversation changed", metadata: ["conversation": "\(id)", "by": "\(principal.userID)", "change": "\(change)"])
        // A previous assignee hears that it is no longer assigned.
        await publishUpdate(after, alsoTo: [before.assignedTo].compactMap { $0 })
        return try await conversation(id, for: principal)
    }

    /// Hands the conversation to a person: records the reason, raises the priority to
    /// `high` and tells participants and the assignee. A conversation escalates once;
    /// later calls change nothing.
    public func escalate(_ id: String, reason: EscalationReason, messageID: String?) async throws {
        guard let before = try await store.conversation(id: id) else { throw ParleyError.notFound(what: "conversation") }
        if before.escalation != nil { return }
        let now = clock.now()
        let escalation = Escalation(at: now, reason: reason, messageID: messageID)
        let after = try await store.updateConversation(id: id, change: .escalate(escalation), now: now)
        // Another request escalated it first: its reason stays, and it told everyone.
        guard after.escalation == escalation else { return }
        logger.notice("conversation escalated", metadata: ["conversation": "\(id)", "reason": "\(reason.rawValue)"])
        await publishUpdate(after)
        // Every support user hears of it, on every node. Not one user's view: no unread
        // count or archive flag of anyone's (each support inbox reads its own).
        let lastMessage = try? await store.conversationView(id: id, for: Principal.assistantID)?.lastMessage
        hub.publish(
            Delivery(
                recipients: [],
                event: .escalated(ConversationView(conversation: after, lastMessage: lastMessage, unreadCount: 0, archived: false)),
                toEverySupportUser: true))
        if ticketOnEscalation { await requestTicketOnEscalation(id, reason: reason) }
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
        let conversation = try await visibleConversation(id, for: principal)
        try await auditSupportRead(conversation, by: principal)
        var result = try await store.messages(conversationID: id, page: page)
        result.messages = result.messages.map { message in
            message.disclosed(
                MessageDisclosure.disclosure(of: message, to: principal.userID, role: principal.role, in: conversation))
        }
        return result
    }

    /// Stores a message (or returns the earlier one with the same `clientMessageId`),
    /// then announces it.
    public func send(_ command: SendMessage, by principal: Principal) async throws -> AppendMessageResult {
        try rateLimiter.take(principal.userID)
        let draft = command.draft
        try draft.validate()
        // An automatic answer to the previous buyer message goes first. (Only a caller who
        // may see the conversation waits: a wait must not tell others it is active.)
        if let autoAnswers, autoAnswers.isHeld(command.conversationID) {
            _ = try await visibleConversation(command.conversationID, for: principal)
            await autoAnswers.waitForTurn(command.conversationID)
        }
        let messageID = Identifier.make(prefix: "m")
        let now = clock.now()
        var annotations = draft.annotations
        if draft.encrypted != nil {
            annotations = try await encryptedAnnotations(of: draft, messageID: messageID, in: command.conversationID, now: now, by: principal)
        }
        let result = try await store.appendMessage(
            NewMessage(
                messageID: messageID, conversationID: command.conversationID, senderID: principal.userID,
                content: draft.content, type: draft.type, clientMessageID: draft.clientMessageID, now: now,
                annotations: annotations,
                // Nothing to read in ciphertext: no sentiment, no masking.
                screening: draft.encrypted == nil ? screener?.screening(of: draft.content, type: draft.type) : nil,
                attachmentID: draft.attachmentID),
            authorize: { conversation in
                try Policy.requireCanSend(principal, conversation, type: draft.type)
                try Self.requireEncryptionMatches(draft, conversation)
            },
            afterCommit: { result in
                if result.created { announce(result) }
            })
        if result.reopened { await publishUpdate(result.conversation) }
        return result
    }

    /// Posts the assistant's automatic answer (`parley.assistant`, marked `auto`) to the
    /// buyer's message at `seq`: only as the conversation's next message and only while
    /// it is not escalated, both checked inside the write (else `AutomaticAnswerOvertaken`).
    /// Throws `notFound` when the conversation is gone.
    public func postAutomaticAnswer(
        _ content: String, mark: AutoAnswerMark, in conversationID: String, answering seq: Int64
    ) async throws
        -> AppendMessageResult
    {
        try await store.appendMessage(
            NewMessage(
                messageID: Identifier.make(prefix: "m"), conversationID: conversationID, senderID: Principal.assistantID,
                content: content, type: .text, clientMessageID: nil, now: clock.now(), annotations: MessageAnnotations(auto: mark)),
            authorize: { conversation in
                guard conversation.escalation == nil, conversation.lastSeq == seq else { throw AutomaticAnswerOvertaken() }
            },
            afterCommit: { result in
                if result.created { announce(result) }
            })
    }

    /// Moves the caller's read position forward to `seq` and tells the others; returns
    /// the position now. A read that does not move the position changes and announces nothing.
    public func markRead(_ id: String, seq: Int64, by principal: Principal) async throws -> Int64 {
        try rateLimiter.take(principal.userID)
        if seq < 0 { throw ParleyError.invalid(field: "seq", reason: "must be 0 or more") }
        let conversation = try await visibleConversation(id, for: principal)
        let mark = try await store.markRead(conversationID: id, userID: principal.userID, seq: seq, now: clock.now())
        if mark.moved {
            hub.publish(
                Delivery(
                    recipients: Audience.of(conversation),
                    event: .read(conversationID: id, userID: principal.userID, seq: mark.position)))
            await queueReadPush(id, seq: mark.position, by: principal.userID)
        }
        return mark.position
    }

    // MARK: Search

    /// Messages the caller may see that match `text`, best first, with snippets.
    public func search(_ text: String, query: SearchQuery, by principal: Principal) async throws -> SearchResults {
        try rateLimiter.take(principal.userID)
        var query = query
        query.viewerID = principal.userID
        query.viewerSeesEverything = principal.role.seesEverything
        query.terms = try Self.searchTerms(text)
        let page = try await store.search(query)
        let hits = try await disclosed(page.messages, to: principal).map { message in
            SearchResults.Hit(message: message, snippet: SearchSnippet.make(content: message.content, terms: query.terms))
        }
        let next = query.offset + query.limit
        return SearchResults(
            hits: hits, nextCursor: page.hasMore && next <= SearchCursor.maxOffset ? SearchCursor(offset: next) : nil)
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
        let recipients = Audience.of(conversation).filter { !$0.isSameID(as: principal.userID) }
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
    public func messagesForResume(
        after position: Int64, for principal: Principal, limit: Int
    ) async throws
        -> [PositionedMessage]
    {
        let page = try await store.messages(after: position, visibleTo: principal.userID, limit: limit)
        let messages = try await disclosed(page.map(\.message), to: principal)
        return zip(page, messages).map { PositionedMessage(message: $1, position: $0.position) }
    }

    // MARK: Helpers

    /// The conversation, if `principal` may see it; otherwise `notFound`, as for an unknown id.
    func visibleConversation(_ id: String, for principal: Principal) async throws -> Conversation {
        guard let conversation = try await store.conversation(id: id) else { throw ParleyError.notFound(what: "conversation") }
        try Policy.requireVisible(principal, conversation)
        return conversation
    }

    /// `messages` (from any conversations `principal` may see) as `principal` may see
    /// each (`MessageDisclosure`); a conversation is read once, and only for messages with
    /// restricted annotations.
    func disclosed(_ messages: [Message], to principal: Principal) async throws -> [Message] {
        var conversations: [String: Conversation?] = [:]
        var result: [Message] = []
        result.reserveCapacity(messages.count)
        for message in messages {
            guard message.hasRestrictedAnnotations else {
                result.append(message)
                continue
            }
            if conversations[message.conversationID] == nil {
                conversations[message.conversationID] = .some(try await store.conversation(id: message.conversationID))
            }
            var disclosure = MessageDisclosure.content
            if let conversation = conversations[message.conversationID] ?? nil {
                disclosure = MessageDisclosure.disclosure(of: message, to: principal.userID, role: principal.role, in: conversation)
            }
            result.append(message.disclosed(disclosure))
        }
        return result
    }

    /// Announces a committed message to its audience and counts it. Called from the
    /// store's `afterCommit`, so messages are announced in commit order.
    func announce(_ result: AppendMessageResult) {
        messagesStored.increment(by: 1)
        hub.publish(Audience.delivery(of: result.message, at: result.position, in: result.conversation))
        // Automatic answers and the sentiment review read content: an encrypted
        // conversation has none the server can read.
        guard !result.conversation.isEncrypted else { return }
        autoAnswers?.offer(result)
        sentimentReview?.offer(result)
    }

    /// Sends `conversation.updated` to each participant and the assignee, each with its
    /// own unread count and archive flag.
    func publishUpdate(_ conversation: Conversation, alsoTo extra: [String] = []) async {
        var recipients = Audience.of(conversation)
        for user in extra where !recipients.contains(where: { $0.isSameID(as: user) }) { recipients.append(user) }
        for userID in recipients {
            guard let view = try? await store.conversationView(id: conversation.conversationID, for: userID) else { continue }
            hub.publish(Delivery(recipients: [userID], event: .conversationUpdated(view)))
        }
    }

    static func validatedParticipants(_ participants: [Participant]) throws(ParleyError) -> [Participant] {
        if participants.count < Limits.minParticipants || participants.count > Limits.maxParticipants {
            throw .invalid(
                field: "participants", reason: "must list \(Limits.minParticipants) to \(Limits.maxParticipants) participants")
        }
        var seen = Set<OpaqueID>()
        for (index, participant) in participants.enumerated() {
            try Validation.userID(participant.userID, field: "participants[\(index)].userId")
            if !seen.insert(OpaqueID(participant.userID)).inserted {
                throw .invalid(field: "participants[\(index)].userId", reason: "listed twice")
            }
        }
        return participants
    }
}
