import Foundation
import GRDB
import ParleyCore

/// Uploads (`AttachmentStore`). A message claims its upload in `append` (`+Writes`).
extension SQLiteConversationStore: AttachmentStore {
    public func saveAttachment(_ attachment: Attachment) async throws {
        try await writer.write { database in
            try database.cachedStatement(
                sql: """
                    INSERT INTO attachments (id, conversation_id, uploader_id, name, content_type, size, sha256, width, height,
                        blob_key, thumbnail_key, thumbnail_content_type, created_at, message_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                attachment.attachmentID, attachment.conversationID, attachment.uploaderID, attachment.name,
                attachment.contentType, attachment.size, attachment.sha256, attachment.width, attachment.height,
                attachment.blobKey, attachment.thumbnailKey, attachment.thumbnailContentType,
                attachment.createdAt.millisecondsSince1970, attachment.messageID,
            ])
        }
    }

    public func attachment(id: String) async throws -> Attachment? {
        try await pool.read { database in try Self.attachment(id: id, in: database) }
    }

    static func attachment(id: String, in database: Database) throws -> Attachment? {
        guard let row = try Row.fetchOne(try database.cachedStatement(sql: "SELECT * FROM attachments WHERE id = ?"), arguments: [id])
        else { return nil }
        return Attachment(
            attachmentID: row["id"], conversationID: row["conversation_id"], uploaderID: row["uploader_id"], name: row["name"],
            contentType: row["content_type"], size: row["size"], sha256: row["sha256"], width: row["width"],
            height: row["height"], blobKey: row["blob_key"], thumbnailKey: row["thumbnail_key"],
            thumbnailContentType: row["thumbnail_content_type"],
            createdAt: Timestamp(millisecondsSince1970: row["created_at"]), messageID: row["message_id"])
    }

    public func removeUnsentAttachments(createdBefore cutoff: Timestamp, limit: Int) async throws -> RemovedUploads {
        try await writer.write { database in
            let rows = try Row.fetchAll(
                try database.cachedStatement(
                    sql: """
                        DELETE FROM attachments WHERE id IN (
                            SELECT id FROM attachments WHERE message_id IS NULL AND created_at < ? ORDER BY created_at LIMIT ?)
                        RETURNING blob_key, thumbnail_key
                        """),
                arguments: [cutoff.millisecondsSince1970, limit])
            var keys = Set<String>()
            for row in rows {
                keys.insert(row["blob_key"])
                if let thumbnail: String = row["thumbnail_key"] { keys.insert(thumbnail) }
            }
            let unused = try keys.sorted().filter { key in
                try Int.fetchOne(
                    database.cachedStatement(
                        sql: "SELECT count(*) FROM attachments WHERE blob_key = ? OR thumbnail_key = ?"),
                    arguments: [key, key]) == 0
            }
            return RemovedUploads(count: rows.count, unusedBlobKeys: unused)
        }
    }

    public func unsentUploadUsage(of uploaderID: String) async throws -> UploadUsage {
        try await pool.read { database in
            let row = try Row.fetchOne(
                try database.cachedStatement(
                    sql: "SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM attachments WHERE uploader_id = ? AND message_id IS NULL"),
                arguments: [uploaderID])
            return UploadUsage(count: row?["n"] ?? 0, bytes: row?["bytes"] ?? 0)
        }
    }

    public func isBlobKeyInUse(_ blobKey: String) async throws -> Bool {
        try await pool.read { database in
            try Bool.fetchOne(
                try database.cachedStatement(
                    sql: "SELECT EXISTS (SELECT 1 FROM attachments WHERE blob_key = ? OR thumbnail_key = ?)"),
                arguments: [blobKey, blobKey]) ?? false
        }
    }

    public func sharedKey(named name: String, candidate: [UInt8]) async throws -> [UInt8] {
        try await writer.write { database in
            try database.cachedStatement(sql: "INSERT INTO shared_keys (name, key) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
                .execute(arguments: [name, Data(candidate)])
            let stored = try Data.fetchOne(try database.cachedStatement(sql: "SELECT key FROM shared_keys WHERE name = ?"), arguments: [name])
            return stored.map { [UInt8]($0) } ?? candidate
        }
    }
}
