import Logging
import ParleyCore
import PostgresNIO

/// End-to-end encryption (`EncryptionStore`): the device directory, sealed epoch keys
/// and abuse reports. Writes run on the node's writer; each checks everything before it
/// writes (the writer's rule for refusals), and those the audit log records append their
/// leaves in the same transaction (`appendAuditRecords`).
extension PostgresConversationStore: EncryptionStore {
    public func registerDevice(_ device: Device, audit: AuditRecord) async throws -> DeviceRegistration {
        let logger = self.logger
        return try await write { connection, _ in
            // Every batch holds the position lock, across nodes: the count and the insert
            // below see no other registration between them.
            let existing = try await Self.device(of: device.userID, id: device.deviceID, on: connection, logger: logger)
            if let existing, existing.hasSameKeys(as: device) { return .unchanged }
            if existing == nil {
                let count =
                    try await connection.query(
                        "SELECT count(*) AS n FROM e2ee_devices WHERE user_id = \(device.userID)", logger: logger
                    ).all().first?["n", as: Int64.self] ?? 0
                if count >= E2EELimits.maxDevicesPerUser {
                    throw ParleyError.conflict(
                        reason: "at most \(E2EELimits.maxDevicesPerUser) devices per user: retire one first (DELETE /api/devices/{deviceId})")
                }
            }
            try await connection.query(
                """
                INSERT INTO e2ee_devices (user_id, device_id, signing_key, encryption_key, signature, created_at)
                VALUES (\(device.userID), \(device.deviceID), \(device.signingKey), \(device.encryptionKey), \(device.signature),
                        \(device.createdAt.millisecondsSince1970))
                ON CONFLICT (user_id, device_id) DO UPDATE SET signing_key = excluded.signing_key,
                    encryption_key = excluded.encryption_key, signature = excluded.signature, created_at = excluded.created_at
                """, logger: logger)
            if existing != nil {
                // Keys sealed to the old encryption key cannot be opened by the new one.
                try await connection.query(
                    "DELETE FROM e2ee_keys WHERE user_id = \(device.userID) AND device_id = \(device.deviceID)", logger: logger)
            }
            try await Self.appendAuditRecords([audit], on: connection, logger: logger)
            return existing == nil ? .created : .replaced
        }
    }

    public func devices(of userID: String) async throws -> [Device] {
        try await read { connection, logger in
            try await connection.query(
                "SELECT * FROM e2ee_devices WHERE user_id = \(userID) ORDER BY created_at, device_id", logger: logger
            ).all().map(Self.device(from:))
        }
    }

    public func device(of userID: String, id deviceID: String) async throws -> Device? {
        try await read { connection, logger in try await Self.device(of: userID, id: deviceID, on: connection, logger: logger) }
    }

    public func retireDevice(of userID: String, id deviceID: String, audit: AuditRecord) async throws {
        let logger = self.logger
        try await write { connection, _ in
            guard try await Self.device(of: userID, id: deviceID, on: connection, logger: logger) != nil else {
                throw ParleyError.notFound(what: "device")
            }
            try await connection.query(
                """
                WITH retired AS (DELETE FROM e2ee_devices WHERE user_id = \(userID) AND device_id = \(deviceID))
                DELETE FROM e2ee_keys WHERE user_id = \(userID) AND device_id = \(deviceID)
                """, logger: logger)
            try await Self.appendAuditRecords([audit], on: connection, logger: logger)
        }
    }

    public func sharesConversation(_ userID: String, with otherID: String) async throws -> Bool {
        try await read { connection, logger in
            try await connection.query(
                """
                WITH mine AS (
                    SELECT conversation_id AS id FROM participants WHERE user_id = \(userID)
                    UNION SELECT id FROM conversations WHERE assigned_to = \(userID))
                SELECT (EXISTS (SELECT 1 FROM participants WHERE user_id = \(otherID) AND conversation_id IN (SELECT id FROM mine))
                    OR EXISTS (SELECT 1 FROM conversations WHERE assigned_to = \(otherID) AND id IN (SELECT id FROM mine))) AS shares
                """, logger: logger
            ).all().first?["shares", as: Bool.self] ?? false
        }
    }

    public func storeKeySet(_ set: NewKeySet, authorize: (@Sendable (Conversation) throws -> Void)?) async throws
        -> ConversationEncryption
    {
        let logger = self.logger
        return try await write { connection, _ in
            // Locked: two devices starting the same epoch on two nodes queue here, and the
            // second sees the first's epoch (`stale_epoch`).
            guard let conversation = try await Self.loadConversation(id: set.conversationID, on: connection, lock: true, logger: logger)
            else { throw ParleyError.notFound(what: "conversation") }
            try authorize?(conversation)
            let after = try EpochRules.apply(set, to: conversation)
            // A share repeated as it was (a retry, or a loop) changes nothing: no rows, no leaf.
            if set.share {
                let held = try await connection.query(
                    """
                    SELECT count(*) AS n FROM e2ee_keys k
                    JOIN unnest(\(set.sealed.map(\.userID))::text[], \(set.sealed.map(\.deviceID))::text[], \(set.sealed.map(\.key))::text[])
                        AS s (user_id, device_id, key)
                        ON k.user_id = s.user_id AND k.device_id = s.device_id AND k.key = s.key
                    WHERE k.conversation_id = \(set.conversationID) AND k.epoch = \(set.epoch) AND k.sender_id = \(set.senderID)
                        AND k.sender_device_id = \(set.senderDeviceID)
                    """, logger: logger
                ).all().first?["n", as: Int64.self] ?? 0
                if held == Int64(set.sealed.count) { return after }
            }
            let now = set.now.millisecondsSince1970
            try await connection.query(
                """
                INSERT INTO e2ee_keys (conversation_id, user_id, device_id, epoch, sender_id, sender_device_id, key, created_at)
                SELECT \(set.conversationID), s.user_id, s.device_id, \(set.epoch), \(set.senderID), \(set.senderDeviceID), s.key, \(now)
                FROM unnest(\(set.sealed.map(\.userID))::text[], \(set.sealed.map(\.deviceID))::text[], \(set.sealed.map(\.key))::text[])
                    AS s (user_id, device_id, key)
                ON CONFLICT (conversation_id, user_id, device_id, epoch) DO UPDATE SET sender_id = excluded.sender_id,
                    sender_device_id = excluded.sender_device_id, key = excluded.key, created_at = excluded.created_at
                """, logger: logger)
            if after != conversation.encryption {
                try await connection.query(
                    "UPDATE conversations SET encryption = \(ConversationRecord.storedEncryption(after)) WHERE id = \(set.conversationID)",
                    logger: logger)
            }
            try await Self.appendAuditRecords(set.auditRecords(for: conversation), on: connection, logger: logger)
            return after
        }
    }

    public func keys(conversationID: String, userID: String, deviceID: String, afterEpoch: Int64) async throws -> [DeliveredKey] {
        try await read { connection, logger in
            try await connection.query(
                """
                SELECT epoch, sender_id, sender_device_id, key FROM e2ee_keys
                WHERE conversation_id = \(conversationID) AND user_id = \(userID) AND device_id = \(deviceID)
                    AND epoch > \(afterEpoch) ORDER BY epoch
                """, logger: logger
            ).all().map { row in try DeliveredKey(columns: row, conversationID: conversationID, deviceID: deviceID) }
        }
    }

    public func message(id messageID: String, in conversationID: String) async throws -> Message? {
        try await read { connection, logger in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.messageColumns) FROM messages m
                WHERE m.id = \(messageID) AND m.conversation_id = \(conversationID)
                """, logger: logger
            ).all()
            return try await Self.positionedMessages(from: rows, on: connection, logger: logger).first?.message
        }
    }

    public func storeReport(_ report: AbuseReport, audit: AuditRecord) async throws {
        let logger = self.logger
        try await write { connection, _ in
            let reported = try await connection.query(
                "SELECT 1 AS one FROM e2ee_reports WHERE message_id = \(report.messageID) AND reporter_id = \(report.reporterID)",
                logger: logger
            ).all()
            if !reported.isEmpty { throw ParleyError.conflict(reason: "you reported this message already") }
            try await connection.query(
                """
                INSERT INTO e2ee_reports (id, conversation_id, message_id, sender_id, reporter_id, content, created_at)
                VALUES (\(report.reportID), \(report.conversationID), \(report.messageID), \(report.senderID), \(report.reporterID),
                        \(report.content), \(report.createdAt.millisecondsSince1970))
                """, logger: logger)
            try await Self.appendAuditRecords([audit], on: connection, logger: logger)
        }
    }

    public func reports(limit: Int) async throws -> [AbuseReport] {
        try await read { connection, logger in
            try await connection.query(
                "SELECT * FROM e2ee_reports ORDER BY created_at DESC, id DESC LIMIT \(Int64(limit))", logger: logger
            ).all().map { row in try AbuseReport(columns: row) }
        }
    }

    private static func device(of userID: String, id deviceID: String, on connection: PostgresConnection, logger: Logger)
        async throws -> Device?
    {
        try await connection.query(
            "SELECT * FROM e2ee_devices WHERE user_id = \(userID) AND device_id = \(deviceID)", logger: logger
        ).all().first.map(device(from:))
    }

    private static func device(from row: Columns) throws -> Device {
        try Device(columns: row)
    }
}
