import GRDB
import ParleyCore

/// The database's migrations: named, append-only steps. Never edit a shipped step;
/// add a new one.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-conversations-messages") { database in
            try database.execute(
                sql: """
                    CREATE TABLE conversations (
                        id TEXT PRIMARY KEY NOT NULL,
                        thread_key TEXT NOT NULL UNIQUE,
                        product_id TEXT,
                        order_id TEXT,
                        subject TEXT,
                        status TEXT NOT NULL,
                        labels TEXT NOT NULL DEFAULT '[]',
                        priority TEXT NOT NULL,
                        assigned_to TEXT,
                        created_at INTEGER NOT NULL,
                        last_activity_at INTEGER NOT NULL,
                        last_seq INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX conversations_by_activity ON conversations (last_activity_at DESC, id DESC);

                    CREATE TABLE participants (
                        conversation_id TEXT NOT NULL REFERENCES conversations (id),
                        user_id TEXT NOT NULL,
                        role TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        PRIMARY KEY (conversation_id, user_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX participants_by_user ON participants (user_id, conversation_id);

                    -- Per user and conversation: read position, archive flag, last read time.
                    -- Kept for anyone who acts on a conversation, participant or support agent.
                    CREATE TABLE user_states (
                        conversation_id TEXT NOT NULL REFERENCES conversations (id),
                        user_id TEXT NOT NULL,
                        read_seq INTEGER NOT NULL DEFAULT 0,
                        archived INTEGER NOT NULL DEFAULT 0,
                        last_seen INTEGER,
                        PRIMARY KEY (conversation_id, user_id)
                    ) WITHOUT ROWID;

                    CREATE TABLE messages (
                        conversation_id TEXT NOT NULL REFERENCES conversations (id),
                        seq INTEGER NOT NULL,
                        id TEXT NOT NULL UNIQUE,
                        sender_id TEXT NOT NULL,
                        content TEXT NOT NULL,
                        type TEXT NOT NULL,
                        client_message_id TEXT,
                        created_at INTEGER NOT NULL,
                        UNIQUE (conversation_id, seq)
                    );
                    CREATE UNIQUE INDEX messages_by_client_id
                        ON messages (conversation_id, sender_id, client_message_id)
                        WHERE client_message_id IS NOT NULL;
                    """
            )
        }
        migrator.registerMigration("v2-assignee-index") { database in
            // Presence, resume and the inbox's assignee filter look conversations up by
            // assignee; without this each of them scans every conversation.
            try database.execute(
                sql: "CREATE INDEX conversations_by_assignee ON conversations (assigned_to) WHERE assigned_to IS NOT NULL")
        }
        migrator.registerMigration("v3-message-search") { database in
            // Analysed text (folded words and their Spanish and English stems, from
            // `TextAnalyzer`), keyed by the message's rowid. Contentless: the text lives
            // in `messages`. Prefix indexes for 3 to 6 characters serve search-as-you-type
            // (`envi*`) without merging every word that starts so.
            try database.execute(
                sql: """
                    CREATE VIRTUAL TABLE message_search USING fts5(
                        terms, content = '', prefix = '3 4 5 6', tokenize = 'unicode61 remove_diacritics 0')
                    """)
            let rows = try Row.fetchCursor(database, sql: "SELECT rowid, conversation_id, content FROM messages")
            let insert = try database.makeStatement(sql: "INSERT INTO message_search (rowid, terms) VALUES (?, ?)")
            while let row = try rows.next() {
                try insert.execute(arguments: [
                    row["rowid"] as Int64, SearchIndexText.terms(content: row["content"], conversationID: row["conversation_id"]),
                ])
            }
        }
        migrator.registerMigration("v4-inbox-snapshots") { database in
            // Positions (message rowids) of a conversation's creation and newest message,
            // so inbox pages can order by activity as of a snapshot (`InboxCursor`).
            try database.execute(
                sql: """
                    ALTER TABLE conversations ADD COLUMN created_position INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE conversations ADD COLUMN last_position INTEGER NOT NULL DEFAULT 0;
                    UPDATE conversations SET last_position =
                        coalesce((SELECT max(rowid) FROM messages WHERE conversation_id = conversations.id), 0);
                    CREATE INDEX conversations_by_last_position ON conversations (last_position);
                    """)
        }
        migrator.registerMigration("v5-support-agents") { database in
            // Users seen with a `support` token: only they may be assigned (issue 10).
            try database.execute(
                sql: "CREATE TABLE support_agents (user_id TEXT PRIMARY KEY, first_seen INTEGER NOT NULL) WITHOUT ROWID")
        }
        migrator.registerMigration("v6-assist") { database in
            // Issue 12: what assist records on a message (template, automatic answer), and
            // templates, FAQ entries with their vectors, verdicts and seller settings.
            try database.execute(
                sql: """
                    ALTER TABLE messages ADD COLUMN annotations TEXT;
                    ALTER TABLE conversations ADD COLUMN escalation TEXT;

                    CREATE TABLE templates (
                        id TEXT PRIMARY KEY NOT NULL,
                        scope TEXT NOT NULL,
                        owner_id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        shortcut TEXT,
                        language TEXT,
                        content TEXT NOT NULL,
                        variables TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX templates_by_owner ON templates (owner_id, scope);
                    CREATE INDEX templates_shared ON templates (scope) WHERE scope = 'shared';

                    CREATE TABLE faq_entries (
                        id TEXT PRIMARY KEY NOT NULL,
                        scope TEXT NOT NULL,
                        owner_id TEXT,
                        language TEXT,
                        question TEXT NOT NULL,
                        alternatives TEXT NOT NULL,
                        answer TEXT NOT NULL,
                        enabled INTEGER NOT NULL,
                        answered INTEGER NOT NULL DEFAULT 0,
                        vector_model TEXT,
                        vectors BLOB,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX faq_entries_by_owner ON faq_entries (owner_id);

                    CREATE TABLE faq_feedback (
                        message_id TEXT NOT NULL,
                        user_id TEXT NOT NULL,
                        faq_id TEXT NOT NULL,
                        helpful INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (message_id, user_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX faq_feedback_by_entry ON faq_feedback (faq_id);

                    CREATE TABLE user_names (
                        user_id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL
                    ) WITHOUT ROWID;

                    CREATE TABLE assist_settings (
                        seller_id TEXT PRIMARY KEY NOT NULL,
                        auto_answer INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v7-attachments") { database in
            // Issue 14: uploads, claimed by the message that sends them (message_id).
            try database.execute(
                sql: """
                    CREATE TABLE attachments (
                        id TEXT PRIMARY KEY NOT NULL,
                        conversation_id TEXT NOT NULL,
                        uploader_id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        content_type TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        sha256 TEXT NOT NULL,
                        width INTEGER,
                        height INTEGER,
                        blob_key TEXT NOT NULL,
                        thumbnail_key TEXT,
                        thumbnail_content_type TEXT,
                        created_at INTEGER NOT NULL,
                        message_id TEXT
                    );
                    CREATE INDEX attachments_unsent ON attachments (created_at) WHERE message_id IS NULL;
                    CREATE INDEX attachments_unsent_by_uploader ON attachments (uploader_id) WHERE message_id IS NULL;
                    CREATE INDEX attachments_by_blob ON attachments (blob_key);
                    CREATE INDEX attachments_by_thumbnail ON attachments (thumbnail_key) WHERE thumbnail_key IS NOT NULL;

                    -- Keys the nodes share (the key of signed attachment links when there is
                    -- no JWT secret to derive it from).
                    CREATE TABLE shared_keys (name TEXT PRIMARY KEY NOT NULL, key BLOB NOT NULL) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v8-notifications") { database in
            // Issue 15: the help-desk ticket, webhooks, push subscriptions, and the durable
            // outbox that the conversation writes fill in their own transaction.
            try database.execute(
                sql: """
                    ALTER TABLE conversations ADD COLUMN ticket TEXT;

                    CREATE TABLE webhooks (
                        id TEXT PRIMARY KEY NOT NULL,
                        url TEXT NOT NULL,
                        events TEXT NOT NULL,
                        secret TEXT NOT NULL,
                        previous_secret TEXT,
                        previous_secret_until INTEGER,
                        created_by TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        disabled_at INTEGER
                    );

                    CREATE TABLE push_subscriptions (
                        id TEXT PRIMARY KEY NOT NULL,
                        user_id TEXT NOT NULL,
                        endpoint TEXT NOT NULL UNIQUE,
                        p256dh TEXT NOT NULL,
                        auth TEXT NOT NULL,
                        expiration_time INTEGER,
                        created_at INTEGER NOT NULL
                    );
                    CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id);

                    -- The newest seq of a conversation pushed to a subscription; cleared once
                    -- a read told its devices to remove the notification.
                    CREATE TABLE push_sent (
                        subscription_id TEXT NOT NULL,
                        conversation_id TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        cleared INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (subscription_id, conversation_id)
                    ) WITHOUT ROWID;

                    CREATE TABLE outbox (
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        target TEXT NOT NULL,
                        event_type TEXT,
                        conversation_id TEXT NOT NULL,
                        message_id TEXT,
                        seq INTEGER,
                        payload TEXT,
                        created_at INTEGER NOT NULL,
                        due_at INTEGER NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        lease_owner TEXT,
                        lease_until INTEGER
                    );
                    CREATE INDEX outbox_due ON outbox (kind, due_at);
                    CREATE INDEX outbox_by_target ON outbox (target);
                    -- At most one pending push per user and conversation: a newer message
                    -- updates the pending one.
                    CREATE UNIQUE INDEX outbox_one_push ON outbox (target, conversation_id) WHERE kind = 'push';

                    CREATE TABLE webhook_deliveries (
                        webhook_id TEXT NOT NULL,
                        event_id TEXT NOT NULL,
                        event_type TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        at INTEGER NOT NULL,
                        status INTEGER,
                        error TEXT,
                        duration_ms INTEGER NOT NULL
                    );
                    CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, at);
                    CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (at);
                    """)
        }
        migrator.registerMigration("v9-audit") { database in
            // Issue 16: the audit log's leaves (their canonical JSON text, exactly as
            // hashed; `idx` is the 0-based leaf number, gap-free) and the newest signed
            // checkpoint (one row).
            try database.execute(
                sql: """
                    CREATE TABLE audit_leaves (
                        idx INTEGER PRIMARY KEY,
                        conversation_id TEXT,
                        leaf TEXT NOT NULL
                    );
                    CREATE INDEX audit_leaves_by_conversation ON audit_leaves (conversation_id, idx)
                        WHERE conversation_id IS NOT NULL;

                    CREATE TABLE audit_checkpoint (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        tree_size INTEGER NOT NULL,
                        root_hash BLOB NOT NULL,
                        timestamp TEXT NOT NULL,
                        signature BLOB NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v10-e2ee") { database in
            // Issue 16, end-to-end encryption: a conversation's epochs (JSON, NULL when it is
            // plain), the device directory, epoch keys sealed per device, abuse reports.
            try database.execute(
                sql: """
                    ALTER TABLE conversations ADD COLUMN encryption TEXT;

                    CREATE TABLE e2ee_devices (
                        user_id TEXT NOT NULL,
                        device_id TEXT NOT NULL,
                        signing_key TEXT NOT NULL,
                        encryption_key TEXT NOT NULL,
                        signature TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (user_id, device_id)
                    ) WITHOUT ROWID;

                    CREATE TABLE e2ee_keys (
                        conversation_id TEXT NOT NULL,
                        user_id TEXT NOT NULL,
                        device_id TEXT NOT NULL,
                        epoch INTEGER NOT NULL,
                        sender_id TEXT NOT NULL,
                        sender_device_id TEXT NOT NULL,
                        key TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (conversation_id, user_id, device_id, epoch)
                    ) WITHOUT ROWID;
                    -- A retired device's keys go with it.
                    CREATE INDEX e2ee_keys_by_device ON e2ee_keys (user_id, device_id);

                    CREATE TABLE e2ee_reports (
                        id TEXT PRIMARY KEY NOT NULL,
                        conversation_id TEXT NOT NULL,
                        message_id TEXT NOT NULL,
                        sender_id TEXT NOT NULL,
                        reporter_id TEXT NOT NULL,
                        content TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        UNIQUE (message_id, reporter_id)
                    );
                    CREATE INDEX e2ee_reports_by_time ON e2ee_reports (created_at, id);
                    """)
        }
        migrator.registerMigration("v11-search-progress") { database in
            // Issue 17: messages are indexed for search after their transaction
            // (`SearchIndexer`). The position (message rowid) up to which `message_search`
            // holds every message; it moves in the same transaction as the rows it covers.
            // Every message so far was indexed in its own transaction.
            try database.execute(
                sql: """
                    CREATE TABLE search_progress (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        position INTEGER NOT NULL
                    );
                    INSERT INTO search_progress (id, position) VALUES (1, (SELECT coalesce(max(rowid), 0) FROM messages));
                    """)
        }
        return migrator
    }
}
