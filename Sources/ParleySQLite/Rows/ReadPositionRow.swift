import GRDB
import ParleyCore

/// A participant's read position (`participants` joined with `user_states`).
struct ReadPositionRow: FetchableRecord {
    var userID: String
    var readSeq: Int64

    init(row: Row) throws {
        userID = try row.stored("user_id", of: "participants")
        readSeq = try row.stored("read_seq", of: "user_states", row: "user \(userID)")
    }
}
