import Hummingbird

/// `GET /api/audit/entries`: leaves as stored, each its 0-based index and its canonical
/// JSON text exactly as hashed.
struct AuditEntriesBody: ResponseEncodable, Sendable {
    struct Entry: Encodable, Sendable {
        let index: Int64
        let leaf: String
    }

    let entries: [Entry]
}
