import Foundation
import GRDB
import ParleyCore

/// End-to-end encryption (`EncryptionStore`): the device directory, sealed epoch keys
/// and abuse reports. Writes run on the group-commit writer; those the audit log records
/// append their leaves in the same savepoint (`appendAuditRecords`), so a change and its
/// leaf commit or roll back together.
extension SQLiteConversationStore: EncryptionStore {
    public func registerDevice(_ device: Device, audit: AuditRecord) async throws -> DeviceRegistration {
        try await writer.write { database in
            let existing = try Self.device(of: device.userID, id: device.deviceID, in: database)
            if let existing, existing.hasSameKeys(as: device) { return .unchanged }
            if existing == nil {
                let count =
                    try Int.fetchOne(
                        try database.cachedStatement(sql: "SELECT count(*) FROM e2ee_devices WHERE user_id = ?"),
                        arguments: [device.userID]) ?? 0
                if count >= E2EELimits.maxDevicesPerUser {
                    throw ParleyError.conflict(
                        reason: "at most \(E2EELimits.maxDevicesPerUser) devices per user: retire one first (DELETE /api/devices/{deviceId})")
                }
            }
            try database.cachedStatement(
                sql: """
                    INSERT INTO e2ee_devices (user_id, device_id, signing_key, encryption_key, signature, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (user_id, device_id) DO UPDATE SET signing_key = excluded.signing_key,
                        encryption_key = excluded.encryption_key, signature = excluded.signature,
                        created_at = excluded.created_at
                    """
            ).execute(arguments: [
                device.userID, device.deviceID, device.signingKey, device.encryptionKey, device.signature,
                device.createdAt.millisecondsSince1970,
            ])
            if existing != nil {
                // Keys sealed to the old encryption key cannot be opened by the new one.
                try database.cachedStatement(sql: "DELETE FROM e2ee_keys WHERE user_id = ? AND device_id = ?")
                    .execute(arguments: [device.userID, device.deviceID])
            }
            try Self.appendAuditRecords([audit], in: database)
            return existing == nil ? .created : .replaced
        }
    }

    public func devices(of userID: String) async throws -> [Device] {
        try await pool.read { database in
            try Row.fetchAll(
                try database.cachedStatement(
                    sql: "SELECT * FROM e2ee_devices WHERE user_id = ? ORDER BY created_at, device_id"),
                arguments: [userID]
            ).map(Self.device(from:))
        }
    }

    public func device(of userID: String, id deviceID: String) async throws -> Device? {
        try await pool.read { database in try Self.device(of: userID, id: deviceID, in: database) }
    }

    public func retireDevice(of userID: String, id deviceID: String, audit: AuditRecord) async throws {
        try await writer.write { database in
            try database.cachedStatement(sql: "DELETE FROM e2ee_devices WHERE user_id = ? AND device_id = ?")
                .execute(arguments: [userID, deviceID])
            guard database.changesCount > 0 else { throw ParleyError.notFound(what: "device") }
            try database.cachedStatement(sql: "DELETE FROM e2ee_keys WHERE user_id = ? AND device_id = ?")
                .execute(arguments: [userID, deviceID])
            try Self.appendAuditRecords([audit], in: database)
        }
    }

    public func sharesConversation(_ userID: String, with otherID: String) async throws -> Bool {
        try await pool.read { database in
            try Bool.fetchOne(
                try database.cachedStatement(
                    sql: """
                        WITH mine AS (
                            SELECT conversation_id AS id FROM participants WHERE user_id = ?
                            UNION SELECT id FROM conversations WHERE assigned_to = ?)
                        SELECT EXISTS (SELECT 1 FROM participants WHERE user_id = ? AND conversation_id IN mine)
                            OR EXISTS (SELECT 1 FROM conversations WHERE assigned_to = ? AND id IN mine)
                        """),
                arguments: [userID, userID, otherID, otherID]) ?? false
        }
    }

    public func storeKeySet(_ set: NewKeySet, authorize: (@Sendable (Conversation) throws -> Void)?) async throws
        -> ConversationEncryption
    {
        try await writer.write { database in
            guard let conversation = try Self.loadConversation(id: set.conversationID, in: database) else {
                throw ParleyError.notFound(what: "conversation")
            }
            try authorize?(conversation)
            let after = try EpochRules.apply(set, to: conversation)
            // A share repeated as it was (a retry, or a loop) changes nothing: no rows, no leaf.
            if set.share, try Self.holdsAlready(set, in: database) { return after }
            let insert = try database.cachedStatement(
                sql: """
                    INSERT INTO e2ee_keys (conversation_id, user_id, device_id, epoch, sender_id, sender_device_id, key, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (conversation_id, user_id, device_id, epoch) DO UPDATE SET sender_id = excluded.sender_id,
                        sender_device_id = excluded.sender_device_id, key = excluded.key, created_at = excluded.created_at
                    """)
            for sealed in set.sealed {
                try insert.execute(arguments: [
                    set.conversationID, sealed.userID, sealed.deviceID, set.epoch, set.senderID, set.senderDeviceID, sealed.key,
                    set.now.millisecondsSince1970,
                ])
            }
            if after != conversation.encryption {
                try database.cachedStatement(sql: "UPDATE conversations SET encryption = ? WHERE id = ?")
                    .execute(arguments: [ConversationRecord.storedEncryption(after), set.conversationID])
            }
            try Self.appendAuditRecords(set.auditRecords(for: conversation), in: database)
            return after
        }
    }

    public func keys(conversationID: String, userID: String, deviceID: String, afterEpoch: Int64) async throws -> [DeliveredKey] {
        try await pool.read { database in
            try Row.fetchAll(
                try database.cachedStatement(
                    sql: """
                        SELECT epoch, sender_id, sender_device_id, key FROM e2ee_keys
                        WHERE conversation_id = ? AND user_id = ? AND device_id = ? AND epoch > ? ORDER BY epoch
                        """),
                arguments: [conversationID, userID, deviceID, afterEpoch]
            ).map { row in try DeliveredKey(columns: row, conversationID: conversationID, deviceID: deviceID) }
        }
    }

    public func message(id messageID: String, in conversationID: String) async throws -> Message? {
        try await pool.read { database in
            guard
                let row = try MessageRow.fetchOne(
                    try database.cachedStatement(sql: "SELECT * FROM messages WHERE id = ? AND conversation_id = ?"),
                    arguments: [messageID, conversationID])
            else { return nil }
            return try row.record.message(readPositions: try Self.readPositions(conversationID: conversationID, in: database))
        }
    }

    public func storeReport(_ report: AbuseReport, audit: AuditRecord) async throws {
        try await writer.write { database in
            let reported =
                try Bool.fetchOne(
                    try database.cachedStatement(
                        sql: "SELECT EXISTS (SELECT 1 FROM e2ee_reports WHERE message_id = ? AND reporter_id = ?)"),
                    arguments: [report.messageID, report.reporterID]) ?? false
            if reported { throw ParleyError.conflict(reason: "you reported this message already") }
            try database.cachedStatement(
                sql: """
                    INSERT INTO e2ee_reports (id, conversation_id, message_id, sender_id, reporter_id, content, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                report.reportID, report.conversationID, report.messageID, report.senderID, report.reporterID, report.content,
                report.createdAt.millisecondsSince1970,
            ])
            try Self.appendAuditRecords([audit], in: database)
        }
    }

    public func reports(limit: Int) async throws -> [AbuseReport] {
        try await pool.read { database in
            try Row.fetchAll(
                try database.cachedStatement(sql: "SELECT * FROM e2ee_reports ORDER BY created_at DESC, id DESC LIMIT ?"),
                arguments: [limit]
            ).map { row in try AbuseReport(columns: row) }
        }
    }

    /// Whether every key of `set` is stored already, the same bytes from the same sender
    /// and device, for its epoch.
    private static func holdsAlready(_ set: NewKeySet, in database: Database) throws -> Bool {
        let statement = try database.cachedStatement(
            sql: """
                SELECT EXISTS (SELECT 1 FROM e2ee_keys WHERE conversation_id = ? AND user_id = ? AND device_id = ? AND epoch = ?
                    AND sender_id = ? AND sender_device_id = ? AND key = ?)
                """)
        for sealed in set.sealed {
            let held =
                try Bool.fetchOne(
                    statement,
                    arguments: [
                        set.conversationID, sealed.userID, sealed.deviceID, set.epoch, set.senderID, set.senderDeviceID, sealed.key,
                    ]) ?? false
            if !held { return false }
        }
        return true
    }

    private static func device(of userID: String, id deviceID: String, in database: Database) throws -> Device? {
        try Row.fetchOne(
            try database.cachedStatement(sql: "SELECT * FROM e2ee_devices WHERE user_id = ? AND device_id = ?"),
            arguments: [userID, deviceID]
        ).map(device(from:))
    }

    private static func device(from row: Row) throws -> Device {
        try Device(columns: row)
    }
}
