import ParleyCore

/// An audit leaf's canonical JSON text cut where its index goes, so that the statement
/// that takes the index from `audit_head` writes the leaf in the same round trip:
/// `prefix || index || suffix` is `AuditLeaf.canonicalJSON(index:record:)`.
///
/// The cut is found, not assumed: the texts for index 0 and index 1 differ in exactly
/// one character (the index's one digit), wherever `details` happens to put an `"index"`
/// of its own.
struct AuditLeafTemplate: Equatable {
    var prefix: String
    var suffix: String

    init(_ record: AuditRecord) {
        let zero = Array(AuditLeaf.canonicalJSON(index: 0, record: record).utf8)
        let one = Array(AuditLeaf.canonicalJSON(index: 1, record: record).utf8)
        precondition(zero.count == one.count, "an audit leaf's index changed more than its digit")
        let cut = zero.indices.first { zero[$0] != one[$0] }!
        // The cut is at an ASCII digit, so both halves are whole UTF-8.
        prefix = String(decoding: zero[..<cut], as: UTF8.self)
        suffix = String(decoding: zero[(cut + 1)...], as: UTF8.self)
    }

    /// The leaf's text at `index` (what the statement writes).
    func text(index: Int64) -> String { prefix + String(index) + suffix }
}
