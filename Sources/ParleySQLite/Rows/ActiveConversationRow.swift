import GRDB
import ParleyCore

/// A conversation with a message after a resume cursor (`id`, `last_seq`, `last_position`).
struct ActiveConversationRow: FetchableRecord {
    var conversation: ResumeWindow.ActiveConversation

    init(row: Row) throws {
        let id: String = try row.stored("id", of: "conversations")
        conversation = ResumeWindow.ActiveConversation(
            id: id, lastSeq: try row.stored("last_seq", of: "conversations", row: "conversation \(id)"),
            lastPosition: try row.stored("last_position", of: "conversations", row: "conversation \(id)"))
    }
}
