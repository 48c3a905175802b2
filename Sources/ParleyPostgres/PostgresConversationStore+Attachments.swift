import Logging
import NIOCore
import ParleyCore
import PostgresNIO

/// Uploads (`AttachmentStore`). A message claims its upload in `append` (`+Writes`).
extension PostgresConversationStore: AttachmentStore {
    private static let attachmentColumns = """
        id, conversation_id, uploader_id, name, content_type, size, sha256, width, height, blob_key, thumbnail_key,
        thumbnail_content_type, created_at, message_id
        """

    public func saveAttachment(_ attachment: Attachment) async throws {
        let logger = self.logger
        let width = attachment.width.map(Int32.init(clamping:))
        let height = attachment.height.map(Int32.init(clamping:))
        try await write { connection, _ in
            _ = try await connection.query(
                """
                INSERT INTO attachments (\(unescaped: Self.attachmentColumns))
                VALUES (\(attachment.attachmentID), \(attachment.conversationID), \(attachment.uploaderID), \(attachment.name),
                        \(attachment.contentType), \(attachment.size), \(attachment.sha256), \(width), \(height),
                        \(attachment.blobKey), \(attachment.thumbnailKey), \(attachment.thumbnailContentType),
                        \(attachment.createdAt.millisecondsSince1970), \(attachment.messageID))
                """, logger: logger)
        }
    }

    public func attachment(id: String) async throws -> Attachment? {
        try await read { connection, logger in
            try await Self.attachment(id: id, forUpdate: false, on: connection, logger: logger)
        }
    }

    static func attachment(id: String, forUpdate: Bool, on connection: PostgresConnection, logger: Logger) async throws
        -> Attachment?
    {
        let lock = forUpdate ? " FOR UPDATE" : ""
        guard
            let row = try await connection.query(
                "SELECT \(unescaped: attachmentColumns) FROM attachments WHERE id = \(id)\(unescaped: lock)", logger: logger
            ).all().first
        else { return nil }
        return Attachment(
            attachmentID: try row["id"], conversationID: try row["conversation_id"], uploaderID: try row["uploader_id"],
            name: try row["name"], contentType: try row["content_type"], size: try row["size"], sha256: try row["sha256"],
            width: try row["width", as: Int32?.self].map(Int.init), height: try row["height", as: Int32?.self].map(Int.init),
            blobKey: try row["blob_key"], thumbnailKey: try row["thumbnail_key"],
            thumbnailContentType: try row["thumbnail_content_type"],
            createdAt: Timestamp(millisecondsSince1970: try row["created_at"]), messageID: try row["message_id"])
    }

    public func removeUnsentAttachments(createdBefore cutoff: Timestamp, limit: Int) async throws -> RemovedUploads {
        let logger = self.logger
        return try await write { connection, _ in
            var keys = Set<String>()
            var count = 0
            for try await (blobKey, thumbnailKey) in try await connection.query(
                """
                DELETE FROM attachments WHERE id IN (
                    SELECT id FROM attachments WHERE message_id IS NULL AND created_at < \(cutoff.millisecondsSince1970)
                    ORDER BY created_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING blob_key, thumbnail_key
                """, logger: logger
            ).decode((String, String?).self) {
                count += 1
                keys.insert(blobKey)
                if let thumbnailKey { keys.insert(thumbnailKey) }
            }
            guard !keys.isEmpty else { return RemovedUploads(count: 0, unusedBlobKeys: []) }
            let candidates = keys.sorted()
            var used = Set<String>()
            for try await key in try await connection.query(
                """
                SELECT k FROM unnest(\(candidates)::text[]) AS k
                WHERE EXISTS (SELECT 1 FROM attachments a WHERE a.blob_key = k OR a.thumbnail_key = k)
                """, logger: logger
            ).decode(String.self) {
                used.insert(key)
            }
            return RemovedUploads(count: count, unusedBlobKeys: candidates.filter { !used.contains($0) })
        }
    }

    public func unsentUploadUsage(of uploaderID: String) async throws -> UploadUsage {
        try await read { connection, logger in
            let row = try await connection.query(
                """
                SELECT count(*) AS n, coalesce(sum(size), 0)::bigint AS bytes FROM attachments
                WHERE uploader_id = \(uploaderID) AND message_id IS NULL
                """, logger: logger
            ).all().first
            return UploadUsage(count: Int(try row?["n", as: Int64.self] ?? 0), bytes: try row?["bytes", as: Int64.self] ?? 0)
        }
    }

    public func isBlobKeyInUse(_ blobKey: String) async throws -> Bool {
        try await read { connection, logger in
            try await connection.query(
                "SELECT EXISTS (SELECT 1 FROM attachments WHERE blob_key = \(blobKey) OR thumbnail_key = \(blobKey)) AS used",
                logger: logger
            ).all().first?["used", as: Bool.self] ?? false
        }
    }

    public func sharedKey(named name: String, candidate: [UInt8]) async throws -> [UInt8] {
        let logger = self.logger
        return try await write { connection, _ in
            _ = try await connection.query(
                "INSERT INTO shared_keys (name, key) VALUES (\(name), \(ByteBuffer(bytes: candidate))) ON CONFLICT (name) DO NOTHING",
                logger: logger)
            let stored = try await connection.query("SELECT key FROM shared_keys WHERE name = \(name)", logger: logger).all().first
            return try stored.map { Array(buffer: try $0["key", as: ByteBuffer.self]) } ?? candidate
        }
    }
}
