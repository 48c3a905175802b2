import Foundation
import GRDB
import Logging
import ParleyCore
import ServiceLifecycle

/// `ConversationStore` on an embedded SQLite database.
///
/// Concurrency: a `DatabasePool` in WAL mode gives concurrent snapshot readers; every
/// write goes through one `GroupCommitWriter`, whose `run()` must be running (the store
/// is a `Service`: put it in the service group).
///
/// Durability: `synchronous=FULL`, so a committed write survives a process crash and a
/// power loss; group commit keeps that affordable (one fsync per batch, not per write).
public final class SQLiteConversationStore: ConversationStore, Service {
    private let pool: DatabasePool
    private let writer: GroupCommitWriter

    /// Opens (creating it and its folder if needed) and migrates the database at `path`.
    public init(path: String, logger: Logger) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { database in
            try database.execute(sql: "PRAGMA synchronous = FULL")
            // 8 MiB of page cache per connection (SQLite's default is 2 MiB): the hot
            // part of the indexes stays in memory as the database grows.
            try database.execute(sql: "PRAGMA cache_size = -8192")
        }
        configuration.busyMode = .timeout(5)
        pool = try DatabasePool(path: path, configuration: configuration)
        do {
            try SQLiteSchema.migrator.migrate(pool)
        } catch {
            // Another process on the same file (a second node starting at the same moment)
            // may have applied a step between our check and our write: look again.
            if try !pool.read({ try SQLiteSchema.migrator.hasCompletedMigrations($0) }) {
                try SQLiteSchema.migrator.migrate(pool)
            }
        }
        writer = GroupCommitWriter(pool: pool, logger: logger)
        logger.info("SQLite database ready", metadata: ["path": "\(path)"])
    }

    public func run() async throws {
        await writer.run()
    }

    // MARK: Writes

    public func createConversation(
        _ request: NewConversation, afterCommit: (@Sendable (CreateConversationResult) -> Void)?
    ) async throws -> CreateConversationResult {
        try await writer.write(afterCommit: afterCommit) { database in
            var created = false
            var conversationID = try String.fetchOne(try database.cachedStatement(sql: "SELECT id FROM conversations WHERE thread_key = ?"), arguments: [request.threadKey])
            if conversationID == nil {
                created = true
                conversationID = request.conversationID
                let labels = String(decoding: try JSONEncoder().encode(request.labels), as: UTF8.self)
                try database.cachedStatement(sql: """
                        INSERT INTO conversations (id, thread_key, product_id, order_id, subject, status, labels, priority,
                                                   assigned_to, created_at, last_activity_at, last_seq, created_position)
                        VALUES (?, ?, ?, ?, ?, 'open', ?, ?, NULL, ?, ?, 0, (SELECT coalesce(max(rowid), 0) FROM messages))
                        """).execute(arguments: [
                        request.conversationID, request.threadKey, request.productID, request.orderID, request.subject,
                        labels, request.priority.rawValue, request.now.millisecondsSince1970,
                        request.now.millisecondsSince1970,
                    ])
                for (position, participant) in request.participants.enumerated() {
                    try database.cachedStatement(sql: "INSERT INTO participants (conversation_id, user_id, role, position) VALUES (?, ?, ?, ?)").execute(arguments: [request.conversationID, participant.userID, participant.role.rawValue, position])
                    try database.cachedStatement(sql: "INSERT INTO user_states (conversation_id, user_id) VALUES (?, ?)").execute(arguments: [request.conversationID, participant.userID])
                }
            }
            var firstMessage: AppendMessageResult?
            if var message = request.firstMessage {
                message.conversationID = conversationID!
                firstMessage = try Self.append(message, in: database)
            }
            guard let conversation = try Self.loadConversation(id: conversationID!, in: database) else {
                throw ParleyError.notFound(what: "conversation")
            }
            return CreateConversationResult(conversation: conversation, created: created, firstMessage: firstMessage)
        }
    }

    public func appendMessage(
        _ request: NewMessage, authorize: (@Sendable (Conversation) throws -> Void)?,
        afterCommit: (@Sendable (AppendMessageResult) -> Void)?
    ) async throws -> AppendMessageResult {
        try await writer.write(afterCommit: afterCommit) { database in
            try Self.append(request, authorize: authorize, in: database)
        }
    }

    private static func append(
        _ request: NewMessage, authorize: (@Sendable (Conversation) throws -> Void)? = nil, in database: Database
    ) throws -> AppendMessageResult {
        guard var conversation = try loadConversation(id: request.conversationID, in: database) else {
            throw ParleyError.notFound(what: "conversation")
        }
        try authorize?(conversation)
        if let clientMessageID = request.clientMessageID,
            let row = try Row.fetchOne(
                try database.cachedStatement(
                    sql: """
                        SELECT rowid AS position, * FROM messages
                        WHERE conversation_id = ? AND sender_id = ? AND client_message_id = ?
                        """),
                arguments: [request.conversationID, request.senderID, clientMessageID])
        {
            let readers = try readPositions(conversationID: request.conversationID, in: database)
            return AppendMessageResult(
                message: message(from: row, readers: readers), conversation: conversation, created: false,
                reopened: false, position: row["position"])
        }
        let seq = conversation.lastSeq + 1
        let reopened = conversation.status == .closed && Policy.reopensClosed(senderID: request.senderID, conversation)
        if reopened { conversation.status = .open }
        let now = request.now.millisecondsSince1970
        try database.cachedStatement(
            sql: """
                UPDATE conversations
                SET last_seq = ?, last_activity_at = max(last_activity_at, ?), status = ?
                WHERE id = ?
                """
        ).execute(arguments: [seq, now, conversation.status.rawValue, request.conversationID])
        try database.cachedStatement(
            sql: """
                INSERT INTO messages (conversation_id, seq, id, sender_id, content, type, client_message_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            request.conversationID, seq, request.messageID, request.senderID, request.content,
            request.type.rawValue, request.clientMessageID, now,
        ])
        let position = database.lastInsertedRowID
        try database.cachedStatement(sql: "UPDATE conversations SET last_position = ? WHERE id = ?")
            .execute(arguments: [position, request.conversationID])
        try database.cachedStatement(sql: "INSERT INTO message_search (rowid, terms) VALUES (?, ?)")
            .execute(arguments: [position, SearchIndexText.terms(content: request.content, conversationID: request.conversationID)])
        // A message brings the conversation back to the inbox of everyone who archived it
        // (the sender's own archive stays as it is).
        try database.cachedStatement(
            sql: "UPDATE user_states SET archived = 0 WHERE conversation_id = ? AND user_id != ? AND archived = 1"
        ).execute(arguments: [request.conversationID, request.senderID])
        try advanceReadPosition(
            conversationID: request.conversationID, userID: request.senderID, seq: seq, now: now, in: database)
        return AppendMessageResult(appended: request, seq: seq, position: position, to: conversation, reopened: reopened)
    }

    public func updateConversation(id: String, change: ConversationChange, now: Timestamp) async throws -> Conversation {
        try await writer.write { database in
            let (column, value): (String, (any DatabaseValueConvertible)?) =
                switch change {
                case .status(let status): ("status", status.rawValue)
                case .labels(let labels): ("labels", String(decoding: try JSONEncoder().encode(labels), as: UTF8.self))
                case .priority(let priority): ("priority", priority.rawValue)
                case .assignee(let assignee): ("assigned_to", assignee)
                }
            try database.cachedStatement(sql: "UPDATE conversations SET \(column) = ? WHERE id = ?").execute(arguments: [value, id])
            guard database.changesCount > 0, let conversation = try Self.loadConversation(id: id, in: database) else {
                throw ParleyError.notFound(what: "conversation")
            }
            return conversation
        }
    }

    public func markRead(conversationID: String, userID: String, seq: Int64, now: Timestamp) async throws -> ReadMark {
        // A read that moves nothing takes no turn of the writer: a client repeating its
        // read position costs one indexed read.
        let current = try await pool.read { database in
            try Self.readPosition(conversationID: conversationID, userID: userID, in: database)
        }
        if let current, current >= seq { return ReadMark(position: current, moved: false) }
        return try await writer.write { database in
            guard
                let lastSeq = try Int64.fetchOne(try database.cachedStatement(sql: "SELECT last_seq FROM conversations WHERE id = ?"), arguments: [conversationID])
            else { throw ParleyError.notFound(what: "conversation") }
            if seq > lastSeq {
                throw ParleyError.invalid(field: "seq", reason: "beyond the newest message (\(lastSeq))")
            }
            let before = try Self.readPosition(conversationID: conversationID, userID: userID, in: database) ?? 0
            if before >= seq { return ReadMark(position: before, moved: false) }
            let after = try Self.advanceReadPosition(
                conversationID: conversationID, userID: userID, seq: seq, now: now.millisecondsSince1970, in: database)
            return ReadMark(position: after, moved: after > before)
        }
    }

    public func recordSupportAgent(_ userID: String, now: Timestamp) async throws {
        try await writer.write { database in
            try database.cachedStatement(sql: "INSERT INTO support_agents (user_id, first_seen) VALUES (?, ?) ON CONFLICT DO NOTHING")
                .execute(arguments: [userID, now.millisecondsSince1970])
        }
    }

    public func isSupportAgent(_ userID: String) async throws -> Bool {
        try await pool.read { database in
            try Bool.fetchOne(
                try database.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM support_agents WHERE user_id = ?)"),
                arguments: [userID]) ?? false
        }
    }

    public func setArchived(conversationID: String, userID: String, archived: Bool) async throws {
        try await writer.write { database in
            try database.cachedStatement(sql: """
                    INSERT INTO user_states (conversation_id, user_id, archived) VALUES (?, ?, ?)
                    ON CONFLICT (conversation_id, user_id) DO UPDATE SET archived = excluded.archived
                    """).execute(arguments: [conversationID, userID, archived])
        }
    }

    /// `userID`'s read position in the conversation, `nil` when it never read or sent there.
    private static func readPosition(conversationID: String, userID: String, in database: Database) throws -> Int64? {
        try Int64.fetchOne(
            try database.cachedStatement(sql: "SELECT read_seq FROM user_states WHERE conversation_id = ? AND user_id = ?"),
            arguments: [conversationID, userID])
    }

    /// Moves the read position forward only; returns the position after.
    @discardableResult
    private static func advanceReadPosition(
        conversationID: String, userID: String, seq: Int64, now: Int64, in database: Database
    ) throws -> Int64 {
        try Int64.fetchOne(
                try database.cachedStatement(sql: """
                INSERT INTO user_states (conversation_id, user_id, read_seq, last_seen) VALUES (?, ?, ?, ?)
                ON CONFLICT (conversation_id, user_id)
                DO UPDATE SET read_seq = max(read_seq, excluded.read_seq), last_seen = excluded.last_seen
                RETURNING read_seq
                """),
                arguments: [conversationID, userID, seq, now]) ?? seq
    }

    // MARK: Reads

    public func conversation(id: String) async throws -> Conversation? {
        try await pool.read { database in try Self.loadConversation(id: id, in: database) }
    }

    public func conversationView(id: String, for userID: String) async throws -> ConversationView? {
        try await pool.read { database in
            guard let conversation = try Self.loadConversation(id: id, in: database) else { return nil }
            return try Self.view(of: conversation, for: userID, in: database)
        }
    }

    public func listConversations(_ query: ConversationQuery) async throws -> ConversationListPage {
        try await pool.read { database in
            let snapshot = try query.cursor?.snapshot
                ?? Int64.fetchOne(try database.cachedStatement(sql: "SELECT coalesce(max(rowid), 0) FROM messages")) ?? 0
            var joins = "LEFT JOIN user_states s ON s.conversation_id = c.id AND s.user_id = ?"
            var filter = SQLFilter(arguments: [query.viewerID])
            if !query.viewerSeesEverything {
                joins += " JOIN participants p ON p.conversation_id = c.id AND p.user_id = ?"
                filter.arguments += [query.viewerID]
            }
            filter.add("coalesce(s.archived, 0) = ?", query.archived)
            filter.add("c.status = ?", query.status?.rawValue)
            filter.add("EXISTS (SELECT 1 FROM json_each(c.labels) WHERE json_each.value = ?)", query.label)
            filter.add("c.priority = ?", query.priority?.rawValue)
            switch query.assignedTo {
            case .user(let userID): filter.add("c.assigned_to = ?", userID)
            case .unassigned: filter.conditions.append("c.assigned_to IS NULL")
            case nil: break
            }
            filter.add("c.product_id = ?", query.productID)
            filter.add("c.order_id = ?", query.orderID)
            // Conversations created after the snapshot wait for the next refresh.
            filter.add("c.created_position <= ?", snapshot)

            // Unchanged since the snapshot (almost all): keyset over the activity index.
            var unchanged = filter
            unchanged.add("c.last_position <= ?", snapshot)
            if let cursor = query.cursor {
                let milliseconds = cursor.lastActivityAt.millisecondsSince1970
                unchanged.conditions.append("(c.last_activity_at < ? OR (c.last_activity_at = ? AND c.id < ?))")
                unchanged.arguments += [milliseconds, milliseconds, cursor.conversationID]
            }
            let unchangedRows = try Row.fetchAll(
                try database.cachedStatement(
                    sql: """
                        SELECT c.*, c.last_activity_at AS sort_at FROM conversations c \(joins)
                        WHERE \(unchanged.conditions.joined(separator: " AND "))
                        ORDER BY c.last_activity_at DESC, c.id DESC LIMIT ?
                        """),
                arguments: unchanged.arguments + [query.limit + 1])

            // Given a message after the snapshot (few): placed by their activity as of it.
            var bumped = filter
            bumped.add("c.last_position > ?", snapshot)
            var keyset = "1"
            var keysetArguments: StatementArguments = []
            if let cursor = query.cursor {
                let milliseconds = cursor.lastActivityAt.millisecondsSince1970
                keyset = "(sort_at < ? OR (sort_at = ? AND id < ?))"
                keysetArguments = [milliseconds, milliseconds, cursor.conversationID]
            }
            let bumpedRows = try Row.fetchAll(
                try database.cachedStatement(
                    sql: """
                        SELECT * FROM (
                            SELECT c.*, coalesce(
                                (SELECT m.created_at FROM messages m WHERE m.conversation_id = c.id AND m.rowid <= ?
                                 ORDER BY m.seq DESC LIMIT 1), c.created_at) AS sort_at
                            FROM conversations c \(joins)
                            WHERE \(bumped.conditions.joined(separator: " AND ")))
                        WHERE \(keyset)
                        ORDER BY sort_at DESC, id DESC LIMIT ?
                        """),
                arguments: [snapshot] + bumped.arguments + keysetArguments + [query.limit + 1])

            func key(_ row: Row) -> (Int64, String) { (row["sort_at"], row["id"]) }
            let rows = (unchangedRows + bumpedRows)
                .sorted { key($0).0 != key($1).0 ? key($0).0 > key($1).0 : key($0).1 > key($1).1 }
            var views: [ConversationView] = []
            for row in rows.prefix(query.limit) {
                let conversation = try Self.conversation(from: row, in: database)
                views.append(try Self.view(of: conversation, for: query.viewerID, in: database))
            }
            var nextCursor: InboxCursor?
            if rows.count > query.limit, let last = rows.prefix(query.limit).last {
                let (sortAt, id) = key(last)
                nextCursor = InboxCursor(snapshot: snapshot, lastActivityAt: Timestamp(millisecondsSince1970: sortAt), conversationID: id)
            }
            return ConversationListPage(conversations: views, nextCursor: nextCursor)
        }
    }

    public func messages(conversationID: String, page: MessagePageRequest) async throws -> MessagePage {
        try await pool.read { database in
            let rows: [Row]
            let limit = page.limit + 1
            switch page.anchor {
            case .newest:
                rows = try Row.fetchAll(try database.cachedStatement(sql: "SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?"), arguments: [conversationID, limit]
                ).reversed()
            case .before(let seq):
                rows = try Row.fetchAll(
                try database.cachedStatement(sql: "SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"),
                arguments: [conversationID, seq, limit]
                ).reversed()
            case .after(let seq):
                rows = try Row.fetchAll(
                try database.cachedStatement(sql: "SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq ASC LIMIT ?"),
                arguments: [conversationID, seq, limit])
            }
            let hasMore = rows.count > page.limit
            // The extra row lies beyond the page in the direction of travel.
            let pageRows: ArraySlice<Row> =
                switch page.anchor {
                case .after: rows.prefix(page.limit)
                case .newest, .before: rows.suffix(page.limit)
                }
            let readers = try Self.readPositions(conversationID: conversationID, in: database)
            return MessagePage(messages: pageRows.map { Self.message(from: $0, readers: readers) }, hasMore: hasMore)
        }
    }

    /// Resume pages read a conversation's whole history through its index when the
    /// user's active conversations hold at most this many messages in all (a quiet user);
    /// past it, positions are walked in order from the cursor instead.
    static let resumeIndexedHistory: Int64 = 5_000

    /// A resume page. Costs what it returns, not what the user ever received: reading
    /// `conversation_id IN (…)` through the `(conversation_id, seq)` index and sorting by
    /// position read every message of the user's conversations, after the cursor or not,
    /// on every page — quadratic in a long backlog. Now only conversations with a message
    /// after the cursor count (their newest position is kept), and unless they are few and
    /// short, the primary key is walked from the cursor up to the newest of them, so each
    /// page goes on from where the last one ended and stops after `limit` rows.
    public func messages(after position: Int64, visibleTo userID: String, limit: Int) async throws -> [PositionedMessage] {
        try await pool.read { database in
            let active = try Row.fetchAll(
                try database.cachedStatement(sql: """
                    SELECT id, last_seq, last_position FROM conversations
                    WHERE last_position > ? AND id IN (
                        SELECT conversation_id FROM participants WHERE user_id = ?
                        UNION SELECT id FROM conversations WHERE assigned_to = ?)
                    """),
                arguments: [position, userID, userID])
            guard !active.isEmpty else { return [] }
            let ids = String(decoding: try JSONEncoder().encode(active.map { $0["id"] as String }), as: UTF8.self)
            let history = active.reduce(Int64(0)) { $0 + ($1["last_seq"] as Int64) }
            let end = active.map { $0["last_position"] as Int64 }.max() ?? position
            // `+` keeps SQLite from driving the walk by the conversation index.
            let sql =
                history <= Self.resumeIndexedHistory
                ? """
                SELECT m.rowid AS position, m.* FROM messages m
                WHERE m.conversation_id IN (SELECT value FROM json_each(?)) AND m.rowid > ? AND m.rowid <= ?
                ORDER BY m.rowid LIMIT ?
                """
                : """
                SELECT m.rowid AS position, m.* FROM messages m
                WHERE +m.conversation_id IN (SELECT value FROM json_each(?)) AND m.rowid > ? AND m.rowid <= ?
                ORDER BY m.rowid LIMIT ?
                """
            let rows = try Row.fetchAll(try database.cachedStatement(sql: sql), arguments: [ids, position, end, limit])
            let messages = try Self.messages(from: rows, in: database)
            return zip(rows, messages).map { row, message in PositionedMessage(message: message, position: row["position"]) }
        }
    }

    public func messages(inPositions range: ClosedRange<Int64>, limit: Int) async throws -> [PositionedMessage] {
        try await pool.read { database in
            let rows = try Row.fetchAll(
                try database.cachedStatement(
                    sql: "SELECT m.rowid AS position, m.* FROM messages m WHERE m.rowid BETWEEN ? AND ? ORDER BY m.rowid LIMIT ?"),
                arguments: [range.lowerBound, range.upperBound, limit])
            let messages = try Self.messages(from: rows, in: database)
            return zip(rows, messages).map { row, message in PositionedMessage(message: message, position: row["position"]) }
        }
    }

    public func latestPosition() async throws -> Int64 {
        try await pool.read { database in try Int64.fetchOne(try database.cachedStatement(sql: "SELECT max(rowid) FROM messages")) ?? 0 }
    }

    public func relatedUsers(of userID: String, limit: Int) async throws -> [String] {
        try await pool.read { database in
            try String.fetchAll(
                try database.cachedStatement(sql: """
                    WITH mine AS (
                        SELECT conversation_id FROM participants WHERE user_id = ?
                        UNION SELECT id FROM conversations WHERE assigned_to = ?)
                    SELECT user_id FROM participants WHERE conversation_id IN mine AND user_id != ?
                    UNION
                    SELECT assigned_to FROM conversations WHERE id IN mine AND assigned_to IS NOT NULL AND assigned_to != ?
                    LIMIT ?
                    """),
                arguments: [userID, userID, userID, userID, limit])
        }
    }

    /// Newest matching messages that search ranks; older matches are reached by
    /// narrowing the query (a conversation, a sender, a time range).
    static let searchWindow = 2_000

    public func search(_ query: SearchQuery) async throws -> SearchPage {
        guard !query.terms.isEmpty else { return SearchPage(messages: [], hasMore: false) }
        let wordsMatch = query.terms.map { term in
            term.isPrefix
                ? "\"\(term.alternatives[0])\"*"
                : "(" + term.alternatives.map { "\"\($0)\"" }.joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
        return try await pool.read { database in
            var match = wordsMatch
            var filter = SQLFilter()
            // The conversations to search, as index tokens, when they are few.
            var scope: [String]?
            if let conversationID = query.conversationID {
                // The filter narrows the viewer's scope, never replaces it: an outsider
                // naming a conversation finds nothing in it.
                if !query.viewerSeesEverything {
                    let visible = try Bool.fetchOne(
                        try database.cachedStatement(
                            sql: "SELECT EXISTS (SELECT 1 FROM participants WHERE conversation_id = ? AND user_id = ?)"),
                        arguments: [conversationID, query.viewerID]) ?? false
                    if !visible { return SearchPage(messages: [], hasMore: false) }
                }
                scope = [conversationID]
            } else if !query.viewerSeesEverything {
                let visible = try String.fetchAll(
                    try database.cachedStatement(
                        sql: "SELECT conversation_id FROM participants WHERE user_id = ? LIMIT ?"),
                    arguments: [query.viewerID, SearchIndexText.maxConversationTokens + 1])
                if visible.count <= SearchIndexText.maxConversationTokens {
                    scope = visible
                } else {
                    filter.conditions.append(
                        """
                        m.conversation_id IN (SELECT conversation_id FROM participants WHERE user_id = ?)
                        """)
                    filter.arguments += [query.viewerID]
                }
            }
            if let scope {
                if scope.isEmpty { return SearchPage(messages: [], hasMore: false) }
                match += " AND (" + scope.map { "\"\(SearchIndexText.conversationToken($0))\"" }.joined(separator: " OR ") + ")"
            }
            filter.add("message_search MATCH ?", match)
            filter.add("m.conversation_id = ?", query.conversationID)
            filter.add("m.sender_id = ?", query.senderID)
            filter.add("m.created_at >= ?", query.from?.millisecondsSince1970)
            filter.add("m.created_at <= ?", query.to?.millisecondsSince1970)
            // The index is walked newest first and stops after `searchWindow` visible
            // matches; those are ranked best first. A common word in a large store then
            // costs a bounded walk instead of scoring every match.
            let rows = try Row.fetchAll(
                try database.cachedStatement(
                    sql: """
                        SELECT * FROM (
                            SELECT m.*, bm25(message_search) AS score
                            FROM message_search JOIN messages m ON m.rowid = message_search.rowid
                            WHERE \(filter.conditions.joined(separator: " AND "))
                            ORDER BY message_search.rowid DESC LIMIT ?)
                        ORDER BY score, rowid DESC
                        LIMIT ? OFFSET ?
                        """),
                arguments: filter.arguments + [Self.searchWindow, query.limit + 1, query.offset])
            let messages = try Self.messages(from: Array(rows.prefix(query.limit)), in: database)
            return SearchPage(messages: messages, hasMore: rows.count > query.limit)
        }
    }

    public func checkReady() async throws {
        _ = try await pool.read { database in try Int.fetchOne(try database.cachedStatement(sql: "SELECT 1")) }
    }

    // MARK: Row mapping

    private static func loadConversation(id: String, in database: Database) throws -> Conversation? {
        guard let row = try Row.fetchOne(try database.cachedStatement(sql: "SELECT * FROM conversations WHERE id = ?"), arguments: [id])
        else { return nil }
        return try conversation(from: row, in: database)
    }

    private static func conversation(from row: Row, in database: Database) throws -> Conversation {
        let id: String = row["id"]
        let participants = try Row.fetchAll(
                try database.cachedStatement(sql: """
                SELECT p.user_id, p.role, s.last_seen FROM participants p
                LEFT JOIN user_states s ON s.conversation_id = p.conversation_id AND s.user_id = p.user_id
                WHERE p.conversation_id = ? ORDER BY p.position
                """),
                arguments: [id]
        ).map { participant in
            Participant(
                userID: participant["user_id"],
                role: ParticipantRole(rawValue: participant["role"]) ?? .buyer,
                lastSeen: (participant["last_seen"] as Int64?).map(Timestamp.init(millisecondsSince1970:)))
        }
        let labelsText: String = row["labels"]
        return Conversation(
            conversationID: id,
            participants: participants,
            productID: row["product_id"],
            orderID: row["order_id"],
            subject: row["subject"],
            status: ConversationStatus(rawValue: row["status"]) ?? .open,
            labels: (try? JSONDecoder().decode([String].self, from: Data(labelsText.utf8))) ?? [],
            priority: Priority(rawValue: row["priority"]) ?? .medium,
            assignedTo: row["assigned_to"],
            createdAt: Timestamp(millisecondsSince1970: row["created_at"]),
            lastActivityAt: Timestamp(millisecondsSince1970: row["last_activity_at"]),
            lastSeq: row["last_seq"])
    }

    private static func view(of conversation: Conversation, for userID: String, in database: Database) throws
        -> ConversationView
    {
        let state = try Row.fetchOne(try database.cachedStatement(sql: "SELECT read_seq, archived FROM user_states WHERE conversation_id = ? AND user_id = ?"), arguments: [conversation.conversationID, userID])
        let readSeq: Int64 = state?["read_seq"] ?? 0
        let archived: Bool = state?["archived"] ?? false
        var lastMessage: Message?
        if conversation.lastSeq > 0,
            let row = try Row.fetchOne(try database.cachedStatement(sql: "SELECT * FROM messages WHERE conversation_id = ? AND seq = ?"), arguments: [conversation.conversationID, conversation.lastSeq])
        {
            let readers = try readPositions(conversationID: conversation.conversationID, in: database)
            lastMessage = message(from: row, readers: readers)
        }
        return ConversationView(
            conversation: conversation, lastMessage: lastMessage,
            unreadCount: max(0, conversation.lastSeq - readSeq), archived: archived)
    }

    /// Messages from rows of several conversations, each with its `readBy`.
    private static func messages(from rows: [Row], in database: Database) throws -> [Message] {
        var readers: [String: [(String, Int64)]] = [:]
        return try rows.map { row in
            let conversationID: String = row["conversation_id"]
            if readers[conversationID] == nil {
                readers[conversationID] = try readPositions(conversationID: conversationID, in: database)
            }
            return message(from: row, readers: readers[conversationID] ?? [])
        }
    }

    /// Each participant's read position, in participant order.
    private static func readPositions(conversationID: String, in database: Database) throws -> [(String, Int64)] {
        try Row.fetchAll(
                try database.cachedStatement(sql: """
                SELECT p.user_id, coalesce(s.read_seq, 0) AS read_seq FROM participants p
                LEFT JOIN user_states s ON s.conversation_id = p.conversation_id AND s.user_id = p.user_id
                WHERE p.conversation_id = ? ORDER BY p.position
                """),
                arguments: [conversationID]
        ).map { ($0["user_id"], $0["read_seq"]) }
    }

    private static func message(from row: Row, readers: [(String, Int64)]) -> Message {
        let seq: Int64 = row["seq"]
        let senderID: String = row["sender_id"]
        return Message(
            messageID: row["id"],
            conversationID: row["conversation_id"],
            seq: seq,
            senderID: senderID,
            content: row["content"],
            timestamp: Timestamp(millisecondsSince1970: row["created_at"]),
            readBy: readers.filter { $0.0 != senderID && $0.1 >= seq }.map(\.0),
            type: MessageType(rawValue: row["type"]) ?? .text,
            clientMessageID: row["client_message_id"])
    }
}
