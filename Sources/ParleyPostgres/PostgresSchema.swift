import Logging
import PostgresNIO

/// The database's migrations: named, append-only steps, applied in one transaction
/// under an advisory lock (nodes starting together apply each step once). Never edit a
/// shipped step; add a new one.
enum PostgresSchema {
    static let migrations: [(name: String, statements: [String])] = [
        (
            "v1-conversations-messages",
            [
                // The newest position handed out. Every write batch locks this row first,
                // so positions follow commit order across nodes.
                "CREATE TABLE parley_position (id INT PRIMARY KEY CHECK (id = 1), last BIGINT NOT NULL)",
                "INSERT INTO parley_position VALUES (1, 0)",
                """
                CREATE TABLE conversations (
                    id TEXT PRIMARY KEY,
                    thread_key TEXT NOT NULL UNIQUE,
                    product_id TEXT,
                    order_id TEXT,
                    subject TEXT,
                    status TEXT NOT NULL,
                    labels JSONB NOT NULL DEFAULT '[]',
                    priority TEXT NOT NULL,
                    assigned_to TEXT,
                    created_at BIGINT NOT NULL,
                    last_activity_at BIGINT NOT NULL,
                    last_seq BIGINT NOT NULL DEFAULT 0,
                    created_position BIGINT NOT NULL,
                    last_position BIGINT NOT NULL DEFAULT 0)
                """,
                "CREATE INDEX conversations_by_activity ON conversations (last_activity_at DESC, id DESC)",
                "CREATE INDEX conversations_by_assignee ON conversations (assigned_to) WHERE assigned_to IS NOT NULL",
                "CREATE INDEX conversations_by_last_position ON conversations (last_position)",
                "CREATE INDEX conversations_by_label ON conversations USING GIN (labels jsonb_path_ops)",
                """
                CREATE TABLE participants (
                    conversation_id TEXT NOT NULL REFERENCES conversations (id),
                    user_id TEXT NOT NULL,
                    role TEXT NOT NULL,
                    position BIGINT NOT NULL,
                    PRIMARY KEY (conversation_id, user_id))
                """,
                "CREATE INDEX participants_by_user ON participants (user_id, conversation_id)",
                """
                CREATE TABLE user_states (
                    conversation_id TEXT NOT NULL REFERENCES conversations (id),
                    user_id TEXT NOT NULL,
                    read_seq BIGINT NOT NULL DEFAULT 0,
                    archived BOOLEAN NOT NULL DEFAULT false,
                    last_seen BIGINT,
                    PRIMARY KEY (conversation_id, user_id))
                """,
                // `search`: the analysed words of `TextAnalyzer` (folded words and their
                // Spanish and English stems) as lexemes, exactly as SQLite indexes them.
                """
                CREATE TABLE messages (
                    position BIGINT PRIMARY KEY,
                    conversation_id TEXT NOT NULL REFERENCES conversations (id),
                    seq BIGINT NOT NULL,
                    id TEXT NOT NULL UNIQUE,
                    sender_id TEXT NOT NULL,
                    content TEXT NOT NULL,
                    type TEXT NOT NULL,
                    client_message_id TEXT,
                    created_at BIGINT NOT NULL,
                    search TSVECTOR NOT NULL,
                    UNIQUE (conversation_id, seq))
                """,
                """
                CREATE UNIQUE INDEX messages_by_client_id ON messages (conversation_id, sender_id, client_message_id)
                    WHERE client_message_id IS NOT NULL
                """,
                "CREATE INDEX messages_search ON messages USING GIN (search)",
            ]
        ),
        (
            // Users seen with a `support` token: only they may be assigned (issue 10).
            "v2-support-agents",
            ["CREATE TABLE support_agents (user_id TEXT PRIMARY KEY, first_seen BIGINT NOT NULL)"]
        ),
        (
            // Issue 12: what assist records on a message (template, automatic answer), and
            // templates, FAQ entries with their vectors, verdicts and seller settings.
            "v3-assist",
            [
                "ALTER TABLE messages ADD COLUMN annotations TEXT",
                "ALTER TABLE conversations ADD COLUMN escalation TEXT",
                """
                CREATE TABLE templates (
                    id TEXT PRIMARY KEY, scope TEXT NOT NULL, owner_id TEXT NOT NULL, name TEXT NOT NULL,
                    shortcut TEXT, language TEXT, content TEXT NOT NULL, variables TEXT NOT NULL,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
                """,
                "CREATE INDEX templates_by_owner ON templates (owner_id, scope)",
                "CREATE INDEX templates_shared ON templates (scope) WHERE scope = 'shared'",
                """
                CREATE TABLE faq_entries (
                    id TEXT PRIMARY KEY, scope TEXT NOT NULL, owner_id TEXT, language TEXT, question TEXT NOT NULL,
                    alternatives TEXT NOT NULL, answer TEXT NOT NULL, enabled BOOLEAN NOT NULL,
                    answered BIGINT NOT NULL DEFAULT 0, vector_model TEXT, vectors BYTEA,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
                """,
                "CREATE INDEX faq_entries_by_owner ON faq_entries (owner_id)",
                """
                CREATE TABLE faq_feedback (
                    message_id TEXT NOT NULL, user_id TEXT NOT NULL, faq_id TEXT NOT NULL, helpful BOOLEAN NOT NULL,
                    created_at BIGINT NOT NULL, PRIMARY KEY (message_id, user_id))
                """,
                "CREATE INDEX faq_feedback_by_entry ON faq_feedback (faq_id)",
                "CREATE TABLE assist_settings (seller_id TEXT PRIMARY KEY, auto_answer BOOLEAN NOT NULL)",
                "CREATE TABLE user_names (user_id TEXT PRIMARY KEY, name TEXT NOT NULL)",
            ]
        ),
        (
            // Issue 14: uploads, claimed by the message that sends them (message_id).
            "v4-attachments",
            [
                """
                CREATE TABLE attachments (
                    id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, uploader_id TEXT NOT NULL, name TEXT NOT NULL,
                    content_type TEXT NOT NULL, size BIGINT NOT NULL, sha256 TEXT NOT NULL, width INT, height INT,
                    blob_key TEXT NOT NULL, thumbnail_key TEXT, thumbnail_content_type TEXT,
                    created_at BIGINT NOT NULL, message_id TEXT)
                """,
                "CREATE INDEX attachments_unsent ON attachments (created_at) WHERE message_id IS NULL",
                "CREATE INDEX attachments_unsent_by_uploader ON attachments (uploader_id) WHERE message_id IS NULL",
                "CREATE INDEX attachments_by_blob ON attachments (blob_key)",
                "CREATE INDEX attachments_by_thumbnail ON attachments (thumbnail_key) WHERE thumbnail_key IS NOT NULL",
                "CREATE TABLE shared_keys (name TEXT PRIMARY KEY, key BYTEA NOT NULL)",
            ]
        ),
    ]

    /// Applies the steps this database has not seen yet.
    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            // Building an index on a large table may take longer than a request's limit.
            try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
            try await connection.query("SET LOCAL lock_timeout = 0", logger: logger)
            try await connection.query("SELECT pg_advisory_xact_lock(7011870711)", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS parley_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger: logger)
            var applied = Set<String>()
            for try await name in try await connection.query("SELECT name FROM parley_migrations", logger: logger)
                .decode(String.self)
            {
                applied.insert(name)
            }
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query("\(unescaped: statement)", logger: logger)
                }
                try await connection.query("INSERT INTO parley_migrations (name) VALUES (\(migration.name))", logger: logger)
                logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
            }
        }
    }
}
