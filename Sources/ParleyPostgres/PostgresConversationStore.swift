import Foundation
import Logging
import ParleyCore
import PostgresNIO
import ServiceLifecycle

/// `ConversationStore` on PostgreSQL, for several nodes sharing one database.
///
/// Writes go through one `PostgresWriter` per node (group commit); every write batch
/// first locks the `parley_position` row, so batches of all nodes commit one after the
/// other and message positions grow in commit order (resume cursors stay gap-free
/// across nodes). Reads use a pool of connections. The store is a `Service`: put it in
/// the service group (it runs the pool and the writer).
public final class PostgresConversationStore: ConversationStore, Service {
    private let client: PostgresClient
    private let writer: PostgresWriter
    private let logger: Logger
    /// How long a read may wait for the database before the request gets a 503 (the
    /// pool keeps trying to connect meanwhile).
    static let readDeadline: Duration = .seconds(3)
    /// `/ready` answers quickly: a load balancer asks often.
    static let readinessDeadline: Duration = .seconds(1)

    /// Connects, applies pending migrations, and prepares the pool and the writer.
    public init(location: PostgresLocation, logger: Logger) async throws {
        self.logger = logger
        let connection = try await PostgresConnection.connect(
            configuration: try location.connectionConfiguration(), id: 0, logger: logger)
        do {
            try await PostgresSchema.migrate(connection, logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
        client = PostgresClient(configuration: try location.clientConfiguration(), backgroundLogger: logger)
        writer = PostgresWriter(configuration: try location.connectionConfiguration(), logger: logger)
        logger.info("PostgreSQL database ready", metadata: ["database": "\(location)"])
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            group.addTask { await self.writer.run() }
            await group.waitForAll()
        }
    }

    // MARK: Writes

    private func write<T: Sendable>(
        afterCommit: (@Sendable (T) -> Void)? = nil, _ work: @escaping PostgresWriter.Work<T>
    ) async throws -> T {
        try await writer.write(afterCommit: afterCommit, work)
    }

    public func createConversation(
        _ request: NewConversation, afterCommit: (@Sendable (CreateConversationResult) -> Void)?
    ) async throws -> CreateConversationResult {
        let logger = self.logger
        return try await write(afterCommit: afterCommit) { connection, positions in
            var created = false
            var conversationID = try await connection.query(
                "SELECT id FROM conversations WHERE thread_key = \(request.threadKey)", logger: logger
            ).all().first?["id", as: String.self]
            if conversationID == nil {
                created = true
                conversationID = request.conversationID
                let labels = String(decoding: try JSONEncoder().encode(request.labels), as: UTF8.self)
                let now = request.now.millisecondsSince1970
                // As in SQLite: the newest position when it was created (positions stay
                // gap-free: only messages take one).
                let position = positions.last
                try await connection.query(
                    """
                    INSERT INTO conversations (id, thread_key, product_id, order_id, subject, status, labels, priority,
                                               created_at, last_activity_at, created_position)
                    VALUES (\(request.conversationID), \(request.threadKey), \(request.productID), \(request.orderID),
                            \(request.subject), 'open', \(labels)::jsonb, \(request.priority.rawValue), \(now), \(now),
                            \(position))
                    """, logger: logger)
                for (index, participant) in request.participants.enumerated() {
                    try await connection.query(
                        """
                        WITH p AS (INSERT INTO participants (conversation_id, user_id, role, position)
                                   VALUES (\(request.conversationID), \(participant.userID), \(participant.role.rawValue), \(Int64(index))))
                        INSERT INTO user_states (conversation_id, user_id) VALUES (\(request.conversationID), \(participant.userID))
                        """, logger: logger)
                }
            }
            var firstMessage: AppendMessageResult?
            if var message = request.firstMessage {
                message.conversationID = conversationID!
                firstMessage = try await Self.append(message, authorize: nil, on: connection, positions: positions, logger: logger)
            }
            guard let conversation = try await Self.loadConversation(id: conversationID!, on: connection, logger: logger) else {
                throw ParleyError.notFound(what: "conversation")
            }
            return CreateConversationResult(conversation: conversation, created: created, firstMessage: firstMessage)
        }
    }

    public func appendMessage(
        _ request: NewMessage, authorize: (@Sendable (Conversation) throws -> Void)?,
        afterCommit: (@Sendable (AppendMessageResult) -> Void)?
    ) async throws -> AppendMessageResult {
        let logger = self.logger
        return try await write(afterCommit: afterCommit) { connection, positions in
            try await Self.append(request, authorize: authorize, on: connection, positions: positions, logger: logger)
        }
    }

    private static func append(
        _ request: NewMessage, authorize: (@Sendable (Conversation) throws -> Void)?, on connection: PostgresConnection,
        positions: PositionCounter, logger: Logger
    ) async throws -> AppendMessageResult {
        guard var conversation = try await loadConversation(id: request.conversationID, on: connection, lock: true, logger: logger)
        else { throw ParleyError.notFound(what: "conversation") }
        try authorize?(conversation)
        if let clientMessageID = request.clientMessageID,
            let row = try await connection.query(
                """
                SELECT \(unescaped: messageColumns) FROM messages m
                WHERE m.conversation_id = \(request.conversationID) AND m.sender_id = \(request.senderID)
                  AND m.client_message_id = \(clientMessageID)
                """, logger: logger
            ).all().first
        {
            return AppendMessageResult(
                message: try await messages(from: [row], on: connection, logger: logger)[0], conversation: conversation,
                created: false, reopened: false, position: try row["position"])
        }
        let seq = conversation.lastSeq + 1
        let reopened = conversation.status == .closed && Policy.reopensClosed(senderID: request.senderID, conversation)
        if reopened { conversation.status = .open }
        let now = request.now.millisecondsSince1970
        let position = positions.next()
        let terms = TextAnalyzer.indexTerms(request.content).filter { !$0.isEmpty }
        // One statement: the conversation's counters, the message and its index entry, the
        // others' archive (a message brings the conversation back to their inbox), and the
        // sender's read position.
        _ = try await connection.execute(
            AppendMessage(
                conversationID: request.conversationID, seq: seq, now: now, status: conversation.status.rawValue,
                position: position, messageID: request.messageID, senderID: request.senderID, content: request.content,
                type: request.type.rawValue, clientMessageID: request.clientMessageID, terms: terms),
            logger: logger)
        return AppendMessageResult(appended: request, seq: seq, position: position, to: conversation, reopened: reopened)
    }

    public func updateConversation(id: String, change: ConversationChange, now: Timestamp) async throws -> Conversation {
        let logger = self.logger
        return try await write { connection, _ in
            var sql = SQL()
            let assignment: String
            switch change {
            case .status(let status): assignment = "status = \(sql.bind(status.rawValue))"
            case .labels(let labels):
                assignment = "labels = \(sql.bind(String(decoding: try JSONEncoder().encode(labels), as: UTF8.self)))::jsonb"
            case .priority(let priority): assignment = "priority = \(sql.bind(priority.rawValue))"
            case .assignee(let assignee): assignment = "assigned_to = \(sql.bind(assignee))"
            }
            sql.text = "UPDATE conversations SET \(assignment) WHERE id = \(sql.bind(id)) RETURNING id"
            guard try await connection.query(sql.query, logger: logger).all().count == 1,
                let conversation = try await Self.loadConversation(id: id, on: connection, logger: logger)
            else { throw ParleyError.notFound(what: "conversation") }
            return conversation
        }
    }

    public func markRead(conversationID: String, userID: String, seq: Int64, now: Timestamp) async throws -> ReadMark {
        // A read that moves nothing takes no turn of the writer: a client repeating its
        // read position costs one indexed read.
        let current = try await read { connection, logger in
            try await connection.query(
                "SELECT read_seq FROM user_states WHERE conversation_id = \(conversationID) AND user_id = \(userID)",
                logger: logger
            ).all().first?["read_seq", as: Int64.self]
        }
        if let current, current >= seq { return ReadMark(position: current, moved: false) }
        let logger = self.logger
        return try await write { connection, _ in
            guard
                let lastSeq = try await connection.query(
                    "SELECT last_seq FROM conversations WHERE id = \(conversationID)", logger: logger
                ).all().first?["last_seq", as: Int64.self]
            else { throw ParleyError.notFound(what: "conversation") }
            if seq > lastSeq {
                throw ParleyError.invalid(field: "seq", reason: "beyond the newest message (\(lastSeq))")
            }
            let before = try await connection.query(
                """
                SELECT read_seq FROM user_states WHERE conversation_id = \(conversationID) AND user_id = \(userID) FOR UPDATE
                """, logger: logger
            ).all().first?["read_seq", as: Int64.self] ?? 0
            if before >= seq { return ReadMark(position: before, moved: false) }
            let after = try await connection.query(
                """
                INSERT INTO user_states (conversation_id, user_id, read_seq, last_seen)
                VALUES (\(conversationID), \(userID), \(seq), \(now.millisecondsSince1970))
                ON CONFLICT (conversation_id, user_id)
                DO UPDATE SET read_seq = greatest(user_states.read_seq, excluded.read_seq), last_seen = excluded.last_seen
                RETURNING read_seq
                """, logger: logger
            ).all().first?["read_seq", as: Int64.self] ?? seq
            return ReadMark(position: after, moved: after > before)
        }
    }

    public func recordSupportAgent(_ userID: String, now: Timestamp) async throws {
        let logger = self.logger
        try await write { connection, _ in
            try await connection.query(
                """
                INSERT INTO support_agents (user_id, first_seen) VALUES (\(userID), \(now.millisecondsSince1970))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
    }

    public func isSupportAgent(_ userID: String) async throws -> Bool {
        try await read { connection, logger in
            try await connection.query(
                "SELECT 1 AS known FROM support_agents WHERE user_id = \(userID)", logger: logger
            ).all().first != nil
        }
    }

    public func setArchived(conversationID: String, userID: String, archived: Bool) async throws {
        let logger = self.logger
        try await write { connection, _ in
            try await connection.query(
                """
                INSERT INTO user_states (conversation_id, user_id, archived) VALUES (\(conversationID), \(userID), \(archived))
                ON CONFLICT (conversation_id, user_id) DO UPDATE SET archived = excluded.archived
                """, logger: logger)
        }
    }

    // MARK: Reads

    /// Runs a read on a pooled connection, within `readDeadline`.
    private func read<T: Sendable>(
        deadline: Duration = readDeadline, _ work: @escaping @Sendable (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        let client = self.client
        let logger = self.logger
        do {
            return try await withDeadline(deadline) {
                try await client.withConnection { connection in try await work(connection, logger) }
            }
        } catch {
            throw PostgresErrors.map(error, logger: logger)
        }
    }

    public func conversation(id: String) async throws -> Conversation? {
        try await read { connection, logger in try await Self.loadConversation(id: id, on: connection, logger: logger) }
    }

    public func conversationView(id: String, for userID: String) async throws -> ConversationView? {
        try await read { connection, logger in
            try await Self.views(ids: [id], for: userID, on: connection, logger: logger).first
        }
    }

    public func listConversations(_ query: ConversationQuery) async throws -> ConversationListPage {
        try await read { connection, logger in
            var snapshot = query.cursor?.snapshot ?? 0
            if query.cursor == nil {
                snapshot = try await connection.query("SELECT last FROM parley_position WHERE id = 1", logger: logger)
                    .all().first?["last", as: Int64.self] ?? 0
            }
            // Conversations unchanged since the snapshot (almost all): keyset over the
            // activity index. Those with a message after it (few): placed by their
            // activity as of the snapshot.
            var rows: [(sortAt: Int64, id: String)] = []
            for changedSince in [false, true] {
                var sql = SQL()
                var conditions = [String]()
                var joins = "LEFT JOIN user_states s ON s.conversation_id = c.id AND s.user_id = \(sql.bind(query.viewerID))"
                if !query.viewerSeesEverything {
                    joins += " JOIN participants p ON p.conversation_id = c.id AND p.user_id = \(sql.bind(query.viewerID))"
                }
                let snapshotValue = sql.bind(snapshot)
                conditions.append("coalesce(s.archived, false) = \(sql.bind(query.archived))")
                if let status = query.status { conditions.append("c.status = \(sql.bind(status.rawValue))") }
                if let label = query.label { conditions.append("c.labels @> jsonb_build_array(\(sql.bind(label))::text)") }
                if let priority = query.priority { conditions.append("c.priority = \(sql.bind(priority.rawValue))") }
                switch query.assignedTo {
                case .user(let userID): conditions.append("c.assigned_to = \(sql.bind(userID))")
                case .unassigned: conditions.append("c.assigned_to IS NULL")
                case nil: break
                }
                if let productID = query.productID { conditions.append("c.product_id = \(sql.bind(productID))") }
                if let orderID = query.orderID { conditions.append("c.order_id = \(sql.bind(orderID))") }
                conditions.append("c.created_position <= \(snapshotValue)")
                conditions.append(changedSince ? "c.last_position > \(snapshotValue)" : "c.last_position <= \(snapshotValue)")
                let sortAt =
                    changedSince
                    ? """
                    coalesce((SELECT m.created_at FROM messages m WHERE m.conversation_id = c.id AND m.position <= \(snapshotValue)
                              ORDER BY m.seq DESC LIMIT 1), c.created_at)
                    """ : "c.last_activity_at"
                var keyset = "true"
                if let cursor = query.cursor {
                    let at = sql.bind(cursor.lastActivityAt.millisecondsSince1970)
                    keyset = "(sort_at < \(at) OR (sort_at = \(at) AND id < \(sql.bind(cursor.conversationID))))"
                }
                sql.text = """
                    SELECT sort_at, id FROM (
                        SELECT c.id, \(sortAt) AS sort_at FROM conversations c \(joins)
                        WHERE \(conditions.joined(separator: " AND "))) candidates
                    WHERE \(keyset)
                    ORDER BY sort_at DESC, id DESC LIMIT \(sql.bind(Int64(query.limit + 1)))
                    """
                for row in try await connection.query(sql.query, logger: logger).all() {
                    rows.append((try row["sort_at"], try row["id"]))
                }
            }
            rows.sort { $0.sortAt != $1.sortAt ? $0.sortAt > $1.sortAt : $0.id > $1.id }
            // The two queries read at different moments: a message committed between them
            // can put one conversation in both. Keep its first (newest) place.
            var seen = Set<String>()
            rows = rows.filter { seen.insert($0.id).inserted }
            try Task.checkCancellation()
            let views = try await Self.views(
                ids: rows.prefix(query.limit).map(\.id), for: query.viewerID, on: connection, logger: logger)
            var nextCursor: InboxCursor?
            if rows.count > query.limit, let last = rows.prefix(query.limit).last {
                nextCursor = InboxCursor(
                    snapshot: snapshot, lastActivityAt: Timestamp(millisecondsSince1970: last.sortAt), conversationID: last.id)
            }
            return ConversationListPage(conversations: views, nextCursor: nextCursor)
        }
    }

    public func messages(conversationID: String, page: MessagePageRequest) async throws -> MessagePage {
        try await read { connection, logger in
            let limit = Int64(page.limit + 1)
            let query: PostgresQuery
            switch page.anchor {
            case .newest:
                query = """
                    SELECT \(unescaped: Self.messageColumns) FROM messages m WHERE m.conversation_id = \(conversationID)
                    ORDER BY m.seq DESC LIMIT \(limit)
                    """
            case .before(let seq):
                query = """
                    SELECT \(unescaped: Self.messageColumns) FROM messages m
                    WHERE m.conversation_id = \(conversationID) AND m.seq < \(seq) ORDER BY m.seq DESC LIMIT \(limit)
                    """
            case .after(let seq):
                query = """
                    SELECT \(unescaped: Self.messageColumns) FROM messages m
                    WHERE m.conversation_id = \(conversationID) AND m.seq > \(seq) ORDER BY m.seq ASC LIMIT \(limit)
                    """
            }
            var rows = try await connection.query(query, logger: logger).all()
            if case .after = page.anchor {} else { rows.reverse() }
            let hasMore = rows.count > page.limit
            // The extra row lies beyond the page in the direction of travel.
            let pageRows: ArraySlice<Columns> =
                switch page.anchor {
                case .after: rows.prefix(page.limit)
                case .newest, .before: rows.suffix(page.limit)
                }
            return MessagePage(
                messages: try await Self.messages(from: Array(pageRows), on: connection, logger: logger), hasMore: hasMore)
        }
    }

    /// As in the SQLite store: resume pages cost what they return. Only conversations
    /// with a message after the cursor count, and unless they are few and short the
    /// primary key is walked from the cursor to the newest of them (each page goes on
    /// where the last ended), instead of reading and sorting every message of the user's
    /// conversations on every page.
    static let resumeIndexedHistory: Int64 = 5_000

    public func messages(after position: Int64, visibleTo userID: String, limit: Int) async throws -> [PositionedMessage] {
        try await read { connection, logger in
            var ids: [String] = []
            var history: Int64 = 0
            var end = position
            for row in try await connection.query(
                """
                SELECT id, last_seq, last_position FROM conversations
                WHERE last_position > \(position) AND id IN (
                    SELECT conversation_id FROM participants WHERE user_id = \(userID)
                    UNION SELECT id FROM conversations WHERE assigned_to = \(userID))
                """, logger: logger
            ).all() {
                ids.append(try row["id", as: String.self])
                history += try row["last_seq", as: Int64.self]
                end = max(end, try row["last_position", as: Int64.self])
            }
            guard !ids.isEmpty else { return [] }
            // Concatenating an empty string keeps the planner from driving the walk by
            // the conversation index.
            let rows =
                history <= Self.resumeIndexedHistory
                ? try await connection.query(
                    """
                    SELECT \(unescaped: Self.messageColumns) FROM messages m
                    WHERE m.conversation_id = ANY(\(ids)) AND m.position > \(position) AND m.position <= \(end)
                    ORDER BY m.position LIMIT \(Int64(limit))
                    """, logger: logger
                ).all()
                : try await connection.query(
                    """
                    SELECT \(unescaped: Self.messageColumns) FROM messages m
                    WHERE (m.conversation_id || '') = ANY(\(ids)) AND m.position > \(position) AND m.position <= \(end)
                    ORDER BY m.position LIMIT \(Int64(limit))
                    """, logger: logger
                ).all()
            let messages = try await Self.messages(from: rows, on: connection, logger: logger)
            return try zip(rows, messages).map { row, message in PositionedMessage(message: message, position: try row["position"]) }
        }
    }

    public func messages(inPositions range: ClosedRange<Int64>, limit: Int) async throws -> [PositionedMessage] {
        try await read { connection, logger in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.messageColumns) FROM messages m
                WHERE m.position BETWEEN \(range.lowerBound) AND \(range.upperBound) ORDER BY m.position LIMIT \(Int64(limit))
                """, logger: logger
            ).all()
            let messages = try await Self.messages(from: rows, on: connection, logger: logger)
            return try zip(rows, messages).map { row, message in PositionedMessage(message: message, position: try row["position"]) }
        }
    }

    public func latestPosition() async throws -> Int64 {
        try await read { connection, logger in
            try await connection.query("SELECT last FROM parley_position WHERE id = 1", logger: logger)
                .all().first?["last", as: Int64.self] ?? 0
        }
    }

    public func relatedUsers(of userID: String, limit: Int) async throws -> [String] {
        try await read { connection, logger in
            try await connection.query(
                """
                WITH mine AS (
                    SELECT conversation_id AS id FROM participants WHERE user_id = \(userID)
                    UNION SELECT id FROM conversations WHERE assigned_to = \(userID))
                SELECT user_id FROM participants WHERE conversation_id IN (SELECT id FROM mine) AND user_id <> \(userID)
                UNION
                SELECT assigned_to FROM conversations
                WHERE id IN (SELECT id FROM mine) AND assigned_to IS NOT NULL AND assigned_to <> \(userID)
                LIMIT \(Int64(limit))
                """, logger: logger
            ).all().map { try $0["user_id", as: String.self] }
        }
    }

    /// Newest matching messages that search ranks (as in the SQLite store).
    static let searchWindow: Int64 = 2_000

    public func search(_ query: SearchQuery) async throws -> SearchPage {
        guard !query.terms.isEmpty else { return SearchPage(messages: [], hasMore: false) }
        return try await read { connection, logger in
            var sql = SQL()
            let tsquery = sql.bind(Self.tsquery(query.terms))
            var conditions = ["m.search @@ \(tsquery)::tsquery"]
            if !query.viewerSeesEverything {
                let viewer = sql.bind(query.viewerID)
                conditions.append(
                    """
                    m.conversation_id IN (SELECT conversation_id FROM participants WHERE user_id = \(viewer))
                    """)
            }
            if let conversationID = query.conversationID { conditions.append("m.conversation_id = \(sql.bind(conversationID))") }
            if let senderID = query.senderID { conditions.append("m.sender_id = \(sql.bind(senderID))") }
            if let from = query.from { conditions.append("m.created_at >= \(sql.bind(from.millisecondsSince1970))") }
            if let to = query.to { conditions.append("m.created_at <= \(sql.bind(to.millisecondsSince1970))") }
            sql.text = """
                SELECT * FROM (
                    SELECT \(Self.messageColumns), ts_rank(m.search, \(tsquery)::tsquery) AS score FROM messages m
                    WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY m.position DESC LIMIT \(sql.bind(Self.searchWindow))) newest
                ORDER BY score DESC, position DESC
                LIMIT \(sql.bind(Int64(query.limit + 1))) OFFSET \(sql.bind(Int64(query.offset)))
                """
            let rows = try await connection.query(sql.query, logger: logger).all()
            let messages = try await Self.messages(from: Array(rows.prefix(query.limit)), on: connection, logger: logger)
            return SearchPage(messages: messages, hasMore: rows.count > query.limit)
        }
    }

    /// The query's terms as a `tsquery`: every term must match; a term matches any of its
    /// alternatives (stems), or any word it begins (a prefix term).
    static func tsquery(_ terms: [QueryTerm]) -> String {
        func lexeme(_ text: String) -> String {
            "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
        }
        return terms.map { term in
            term.isPrefix
                ? lexeme(term.alternatives[0]) + ":*"
                : "(" + term.alternatives.map(lexeme).joined(separator: " | ") + ")"
        }.joined(separator: " & ")
    }

    public func checkReady() async throws {
        _ = try await read(deadline: Self.readinessDeadline) { connection, logger in
            try await connection.query("SELECT 1", logger: logger).all().count
        }
    }

    // MARK: Row mapping

    static let messageColumns =
        "m.position, m.conversation_id, m.seq, m.id, m.sender_id, m.content, m.type, m.client_message_id, m.created_at"

    private static func loadConversation(
        id: String, on connection: PostgresConnection, lock: Bool = false, logger: Logger
    ) async throws -> Conversation? {
        let rows =
            lock
            ? try await connection.execute(LoadConversationForUpdate(id: id), logger: logger)
            : try await connection.execute(LoadConversation(id: id), logger: logger)
        var found: Columns?
        for try await row in rows { found = row }
        return try found.map(conversation(from:))
    }

    /// A row of `conversationSelect` as a conversation.
    private static func conversation(from row: Columns) throws -> Conversation {
        let people = try JSONSerialization.jsonObject(with: Data(try row["people", as: String.self].utf8)) as? [[Any]] ?? []
        let participants = people.compactMap { entry -> Participant? in
            guard entry.count == 3, let userID = entry[0] as? String, let role = entry[1] as? String else { return nil }
            let lastSeen = (entry[2] as? NSNumber).map { Timestamp(millisecondsSince1970: $0.int64Value) }
            return Participant(userID: userID, role: ParticipantRole(rawValue: role) ?? .buyer, lastSeen: lastSeen)
        }
        return Conversation(
            conversationID: try row["id"],
            participants: participants,
            productID: try row["product_id"],
            orderID: try row["order_id"],
            subject: try row["subject"],
            status: ConversationStatus(rawValue: try row["status"]) ?? .open,
            labels: (try? JSONDecoder().decode([String].self, from: Data(try row["labels", as: String.self].utf8))) ?? [],
            priority: Priority(rawValue: try row["priority"]) ?? .medium,
            assignedTo: try row["assigned_to"],
            createdAt: Timestamp(millisecondsSince1970: try row["created_at"]),
            lastActivityAt: Timestamp(millisecondsSince1970: try row["last_activity_at"]),
            lastSeq: try row["last_seq"])
    }

    /// The conversations `ids` as `userID` sees them, in the order of `ids`: four queries
    /// for a whole inbox page.
    private static func views(ids: [String], for userID: String, on connection: PostgresConnection, logger: Logger)
        async throws -> [ConversationView]
    {
        guard !ids.isEmpty else { return [] }
        var conversations: [String: Conversation] = [:]
        for row in try await connection.query(
            PostgresQuery(unsafeSQL: conversationColumns + " WHERE c.id = ANY($1)", binds: try binds(ids)), logger: logger
        ).all() {
            let conversation = try conversation(from: row)
            conversations[conversation.conversationID] = conversation
        }
        var states: [String: (readSeq: Int64, archived: Bool)] = [:]
        for row in try await connection.query(
            """
            SELECT conversation_id, read_seq, archived FROM user_states
            WHERE user_id = \(userID) AND conversation_id = ANY(\(ids))
            """, logger: logger
        ).all() {
            states[try row["conversation_id"]] = (try row["read_seq"], try row["archived"])
        }
        let lastRows = try await connection.query(
            """
            SELECT \(unescaped: messageColumns) FROM conversations c
            JOIN messages m ON m.conversation_id = c.id AND m.seq = c.last_seq
            WHERE c.id = ANY(\(ids))
            """, logger: logger
        ).all()
        let readers = try await readPositions(conversationIDs: ids, on: connection, logger: logger)
        var lastMessages: [String: Message] = [:]
        for row in lastRows {
            let id: String = try row["conversation_id"]
            lastMessages[id] = try message(from: row, readers: readers[id] ?? [])
        }
        return ids.compactMap { id in
            guard let conversation = conversations[id] else { return nil }
            let state = states[id]
            return ConversationView(
                conversation: conversation, lastMessage: lastMessages[id],
                unreadCount: max(0, conversation.lastSeq - (state?.readSeq ?? 0)), archived: state?.archived ?? false)
        }
    }

    private static func binds(_ ids: [String]) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(ids)
        return bindings
    }

    /// Each participant's read position, in participant order, for several conversations.
    private static func readPositions(conversationIDs: [String], on connection: PostgresConnection, logger: Logger)
        async throws -> [String: [(String, Int64)]]
    {
        var positions: [String: [(String, Int64)]] = [:]
        for row in try await connection.query(
            """
            SELECT p.conversation_id, p.user_id, coalesce(s.read_seq, 0) AS read_seq FROM participants p
            LEFT JOIN user_states s ON s.conversation_id = p.conversation_id AND s.user_id = p.user_id
            WHERE p.conversation_id = ANY(\(conversationIDs)) ORDER BY p.conversation_id, p.position
            """, logger: logger
        ).all() {
            positions[try row["conversation_id"], default: []].append((try row["user_id"], try row["read_seq"]))
        }
        return positions
    }

    /// Messages from rows of several conversations, each with its `readBy`.
    private static func messages(from rows: [Columns], on connection: PostgresConnection, logger: Logger) async throws
        -> [Message]
    {
        guard !rows.isEmpty else { return [] }
        let ids = Array(Set(try rows.map { try $0["conversation_id", as: String.self] }))
        let readers = try await readPositions(conversationIDs: ids, on: connection, logger: logger)
        return try rows.map { row in try message(from: row, readers: readers[try row["conversation_id"]] ?? []) }
    }

    private static func message(from row: Columns, readers: [(String, Int64)]) throws -> Message {
        let seq: Int64 = try row["seq"]
        let senderID: String = try row["sender_id"]
        return Message(
            messageID: try row["id"],
            conversationID: try row["conversation_id"],
            seq: seq,
            senderID: senderID,
            content: try row["content"],
            timestamp: Timestamp(millisecondsSince1970: try row["created_at"]),
            readBy: readers.filter { $0.0 != senderID && $0.1 >= seq }.map(\.0),
            type: MessageType(rawValue: try row["type"]) ?? .text,
            clientMessageID: try row["client_message_id"])
    }
}

// MARK: Prepared statements (the writer's hot path: parsed and planned once per connection)

/// A conversation with its participants (user, role, last seen) as JSON, for `loadConversation`.
private let conversationColumns = """
    SELECT c.id, c.product_id, c.order_id, c.subject, c.status, c.labels::text AS labels, c.priority, c.assigned_to,
           c.created_at, c.last_activity_at, c.last_seq,
           (SELECT coalesce(json_agg(json_build_array(p.user_id, p.role, s.last_seen) ORDER BY p.position), '[]')::text
            FROM participants p
            LEFT JOIN user_states s ON s.conversation_id = p.conversation_id AND s.user_id = p.user_id
            WHERE p.conversation_id = c.id) AS people
    FROM conversations c
    """

private let conversationSelect = conversationColumns + " WHERE c.id = $1"

/// A conversation looked up by id, decoded by column name.
protocol ConversationByID: PostgresPreparedStatement where Row == Columns {
    var id: String { get }
}

extension ConversationByID {
    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Columns { Columns(row) }
}

struct LoadConversation: ConversationByID {
    static let name = "parley_load_conversation"
    static let sql = conversationSelect
    var id: String
}

/// The same, locking the conversation's row until the transaction ends (its `seq`).
struct LoadConversationForUpdate: ConversationByID {
    static let name = "parley_load_conversation_for_update"
    static let sql = conversationSelect + " FOR UPDATE OF c"
    var id: String
}

/// One statement per message: the conversation's counters, the message and its index
/// entry, the others' archive (a message brings the conversation back to their inbox),
/// and the sender's read position.
struct AppendMessage: PostgresPreparedStatement {
    static let name = "parley_append_message"
    static let sql = """
        WITH conversation AS (
            UPDATE conversations
            SET last_seq = $2, last_activity_at = greatest(last_activity_at, $3), status = $4, last_position = $5
            WHERE id = $1),
        message AS (
            INSERT INTO messages (position, conversation_id, seq, id, sender_id, content, type, client_message_id,
                                  created_at, search)
            VALUES ($5, $1, $2, $6, $7, $8, $9, $10, $3, array_to_tsvector($11::text[]))),
        unarchived AS (
            UPDATE user_states SET archived = false WHERE conversation_id = $1 AND user_id <> $7 AND archived)
        INSERT INTO user_states (conversation_id, user_id, read_seq, last_seen) VALUES ($1, $7, $2, $3)
        ON CONFLICT (conversation_id, user_id)
        DO UPDATE SET read_seq = greatest(user_states.read_seq, excluded.read_seq), last_seen = excluded.last_seen
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .text, .int8, .int8, .text, .int8, .text, .text, .text, .text, .text, .textArray,
    ]
    typealias Row = Void
    var conversationID: String
    var seq: Int64
    var now: Int64
    var status: String
    var position: Int64
    var messageID: String
    var senderID: String
    var content: String
    var type: String
    var clientMessageID: String?
    var terms: [String]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(conversationID)
        bindings.append(seq)
        bindings.append(now)
        bindings.append(status)
        bindings.append(position)
        bindings.append(messageID)
        bindings.append(senderID)
        bindings.append(content)
        bindings.append(type)
        bindings.append(clientMessageID)
        bindings.append(terms)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
