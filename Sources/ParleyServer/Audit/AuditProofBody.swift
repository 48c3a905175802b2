import Hummingbird
import ParleyAudit

/// `GET /api/audit/proof/*`: the proof's hashes in standard base64, in RFC 9162's order.
struct AuditProofBody: ResponseEncodable, Sendable {
    let hashes: [String]

    init(_ hashes: [AuditHash]) {
        self.hashes = hashes.map(\.base64)
    }
}
