import GRDB
import ParleyCore

/// A user's own state in a conversation (`read_seq`, `archived` of `user_states`).
struct UserStateRow: FetchableRecord {
    var state: ConversationUserState

    init(row: Row) throws {
        state = ConversationUserState(
            readSeq: try row.stored("read_seq", of: "user_states"), archived: try row.stored("archived", of: "user_states"))
    }
}
