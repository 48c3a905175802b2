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
        (
            // Issue 15: support tickets, webhooks, push subscriptions and the outbox the
            // conversation writes fill in their own transaction.
            "v5-notifications",
            [
                "ALTER TABLE conversations ADD COLUMN ticket TEXT",
                // `Identifier.make`'s shape made in SQL (the prefix, `_`, 10 base-32
                // characters of the time in milliseconds, 16 of 80 random bits), so a
                // write can queue one item per webhook in the statement that finds them.
                // The random bits: the low 5 bits of 16 bytes of two version-4 UUIDs,
                // leaving out bytes 6 and 8 (their version and variant bits). PL/pgSQL:
                // about 15 µs an id, where a SQL function with subqueries took 47.
                """
                CREATE FUNCTION parley_id(prefix TEXT, now BIGINT) RETURNS TEXT LANGUAGE plpgsql VOLATILE AS $$
                DECLARE
                    alphabet CONSTANT TEXT := '0123456789abcdefghjkmnpqrstvwxyz';
                    random CONSTANT BYTEA := uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid());
                    id TEXT := prefix || '_';
                    i INT;
                BEGIN
                    FOR i IN REVERSE 9..0 LOOP
                        id := id || substr(alphabet, ((now >> (5 * i)) & 31)::int + 1, 1);
                    END LOOP;
                    FOREACH i IN ARRAY ARRAY[0, 1, 2, 3, 4, 5, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17] LOOP
                        id := id || substr(alphabet, (get_byte(random, i) & 31) + 1, 1);
                    END LOOP;
                    RETURN id;
                END
                $$
                """,
                """
                CREATE TABLE webhooks (
                    id TEXT PRIMARY KEY, url TEXT NOT NULL, events TEXT NOT NULL, secret TEXT NOT NULL,
                    previous_secret TEXT, previous_secret_until BIGINT, created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL, disabled_at BIGINT)
                """,
                """
                CREATE TABLE push_subscriptions (
                    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, endpoint TEXT NOT NULL UNIQUE, p256dh TEXT NOT NULL,
                    auth TEXT NOT NULL, expiration_time BIGINT, created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id)",
                """
                CREATE TABLE push_sent (
                    subscription_id TEXT NOT NULL, conversation_id TEXT NOT NULL, seq BIGINT NOT NULL,
                    cleared BOOLEAN NOT NULL DEFAULT false, PRIMARY KEY (subscription_id, conversation_id))
                """,
                // `ord`: insertion order, so items due in the same millisecond lease first
                // in, first out (ids made in one millisecond sort at random).
                """
                CREATE TABLE outbox (
                    id TEXT PRIMARY KEY, ord BIGINT GENERATED ALWAYS AS IDENTITY, kind TEXT NOT NULL,
                    target TEXT NOT NULL, event_type TEXT, conversation_id TEXT NOT NULL, message_id TEXT, seq BIGINT,
                    payload TEXT, created_at BIGINT NOT NULL, due_at BIGINT NOT NULL, attempts INT NOT NULL DEFAULT 0,
                    lease_owner TEXT, lease_until BIGINT)
                """,
                "CREATE INDEX outbox_due ON outbox (kind, due_at)",
                // Deleting or disabling a webhook drops its pending items.
                "CREATE INDEX outbox_by_target ON outbox (target)",
                // At most one pending push per user and conversation: a newer message
                // updates it (`ON CONFLICT … WHERE kind = 'push'`).
                "CREATE UNIQUE INDEX outbox_one_push ON outbox (target, conversation_id) WHERE kind = 'push'",
                """
                CREATE TABLE webhook_deliveries (
                    id BIGSERIAL PRIMARY KEY, webhook_id TEXT NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL,
                    attempt INT NOT NULL, at BIGINT NOT NULL, status INT, error TEXT, duration_ms BIGINT NOT NULL)
                """,
                "CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, at)",
                // For `pruneDeliveries`, which cuts by time across every webhook.
                "CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (at)",
            ]
        ),
        (
            // Issue 16: the audit log. `audit_head` counts the leaves: every append adds to
            // it in its own transaction, so the row lock hands out indexes in commit order,
            // gap-free, across every node (one log).
            "v6-audit",
            [
                "CREATE TABLE audit_head (id INT PRIMARY KEY CHECK (id = 1), size BIGINT NOT NULL)",
                "INSERT INTO audit_head VALUES (1, 0)",
                // `leaf`: the canonical JSON text, exactly as hashed.
                "CREATE TABLE audit_leaves (idx BIGINT PRIMARY KEY, conversation_id TEXT, leaf TEXT NOT NULL)",
                """
                CREATE INDEX audit_leaves_by_conversation ON audit_leaves (conversation_id, idx)
                WHERE conversation_id IS NOT NULL
                """,
                """
                CREATE TABLE audit_checkpoint (
                    id INT PRIMARY KEY CHECK (id = 1), tree_size BIGINT NOT NULL, root_hash BYTEA NOT NULL,
                    timestamp TEXT NOT NULL, signature BYTEA NOT NULL)
                """,
            ]
        ),
        (
            // Issue 16, end-to-end encryption: a conversation's epochs (JSON, NULL when it is
            // plain), the device directory, epoch keys sealed per device, abuse reports.
            "v7-e2ee",
            [
                "ALTER TABLE conversations ADD COLUMN encryption TEXT",
                """
                CREATE TABLE e2ee_devices (
                    user_id TEXT NOT NULL, device_id TEXT NOT NULL, signing_key TEXT NOT NULL, encryption_key TEXT NOT NULL,
                    signature TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (user_id, device_id))
                """,
                """
                CREATE TABLE e2ee_keys (
                    conversation_id TEXT NOT NULL, user_id TEXT NOT NULL, device_id TEXT NOT NULL, epoch BIGINT NOT NULL,
                    sender_id TEXT NOT NULL, sender_device_id TEXT NOT NULL, key TEXT NOT NULL, created_at BIGINT NOT NULL,
                    PRIMARY KEY (conversation_id, user_id, device_id, epoch))
                """,
                // A retired device's keys go with it.
                "CREATE INDEX e2ee_keys_by_device ON e2ee_keys (user_id, device_id)",
                """
                CREATE TABLE e2ee_reports (
                    id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, message_id TEXT NOT NULL, sender_id TEXT NOT NULL,
                    reporter_id TEXT NOT NULL, content TEXT NOT NULL, created_at BIGINT NOT NULL,
                    UNIQUE (message_id, reporter_id))
                """,
                "CREATE INDEX e2ee_reports_by_time ON e2ee_reports (created_at, id)",
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
