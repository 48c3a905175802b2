import GRDB
import ParleyCore

/// A conversation read for an inbox page, with its place in it (`sort_at`: its activity
/// as of the page's snapshot).
struct InboxRow: FetchableRecord {
    var conversation: ConversationRecord
    var entry: InboxEntry

    init(row: Row) throws {
        conversation = try ConversationRow(row: row).record
        let sortAt: Int64 = try row.stored("sort_at", of: "conversations", row: "conversation \(conversation.id)")
        entry = InboxEntry(activityAt: Timestamp(millisecondsSince1970: sortAt), conversationID: conversation.id)
    }
}
