import GRDB
import ParleyCore

/// A participant with its last-seen time (`participants` joined with `user_states`).
struct ParticipantRow: FetchableRecord {
    var record: ParticipantRecord

    init(row: Row) throws {
        let userID: String = try row.stored("user_id", of: "participants")
        record = ParticipantRecord(
            userID: userID,
            role: try row.stored("role", of: "participants", row: "user \(userID)"),
            lastSeen: try row.stored("last_seen", of: "user_states", row: "user \(userID)"))
    }
}
