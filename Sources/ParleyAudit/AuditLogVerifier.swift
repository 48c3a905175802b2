import Crypto
import ParleyCore

/// Checks a whole audit log: fed its leaves in order, then a checkpoint. Each leaf's
/// stored index and JSON `"index"` must be its position (a dropped or reordered leaf
/// fails there, naming it), and the tree of the first `treeSize` leaves must have the
/// checkpoint's root and signature (an edited leaf fails there: a root says that some
/// leaf below `treeSize` changed, not which).
///
/// ```swift
/// var verifier = AuditLogVerifier(checksCanonicalJSON: true)
/// for leaf in leaves { try verifier.append(leaf) }
/// try verifier.check(checkpoint, publicKey: key)
/// ```
public struct AuditLogVerifier: Sendable {
    public private(set) var tree = MerkleTree()
    /// Also parse each leaf and require the exact canonical text (the outside verifier);
    /// without it only the `"index"` is read (the server's start-up check, over every leaf).
    public let checksCanonicalJSON: Bool

    public init(checksCanonicalJSON: Bool) {
        self.checksCanonicalJSON = checksCanonicalJSON
    }

    /// Adds the next leaf after checking its index.
    public mutating func append(_ leaf: StoredAuditLeaf) throws(AuditLogFailure) {
        let position = tree.size
        guard leaf.index == position else {
            throw AuditLogFailure(
                index: position, reason: "leaf \(position) is stored as index \(leaf.index): a leaf was dropped or moved")
        }
        let index: Int64?
        if checksCanonicalJSON {
            do {
                index = try AuditLeafText.canonicalIndex(of: leaf.text)
            } catch {
                throw AuditLogFailure(index: position, reason: "leaf \(position) is \(error.description)")
            }
        } else {
            index = AuditLeafText.index(of: leaf.text)
        }
        guard index == position else {
            throw AuditLogFailure(
                index: position,
                reason: "leaf \(position) says \"index\": \(index.map(String.init) ?? "nothing"): a leaf was dropped, moved or edited")
        }
        tree.append(leafHash: .leaf(text: leaf.text))
    }

    /// Adds leaf texts in order, their positions counting on from the leaves already added.
    public mutating func append(texts: some Sequence<String>) throws(AuditLogFailure) {
        for text in texts { try append(StoredAuditLeaf(index: tree.size, text: text)) }
    }

    /// Whether the leaves added so far match `checkpoint` (its size, its root) and, given
    /// a key, its signature.
    public func check(_ checkpoint: AuditCheckpoint, publicKey: Curve25519.Signing.PublicKey?) throws(AuditLogFailure) {
        // A checkpoint built in memory (not parsed) can hold any size: refused, not trapped on.
        guard checkpoint.treeSize >= 0 else {
            throw AuditLogFailure(index: nil, reason: "the checkpoint signs a negative tree size (\(checkpoint.treeSize))")
        }
        guard checkpoint.treeSize <= tree.size else {
            throw AuditLogFailure(
                index: tree.size,
                reason: "the log holds \(tree.size) leaves but the checkpoint signs \(checkpoint.treeSize): leaves from \(tree.size) on are missing")
        }
        if let publicKey, !checkpoint.isSigned(by: publicKey) {
            throw AuditLogFailure(index: nil, reason: "the checkpoint of size \(checkpoint.treeSize) is not signed by the audit key")
        }
        let root: AuditHash
        do {
            root = try tree.root(size: checkpoint.treeSize)
        } catch {
            throw AuditLogFailure(index: nil, reason: "the checkpoint's size \(checkpoint.treeSize) is outside the log of \(tree.size) leaves")
        }
        guard root == checkpoint.rootHash else {
            throw AuditLogFailure(
                index: nil,
                reason: "the first \(checkpoint.treeSize) leaves hash to \(root.base64), not the checkpoint's root \(checkpoint.rootHash.base64): a leaf below \(checkpoint.treeSize) was edited")
        }
    }

    /// Checks leaf texts given in order against `checkpoint`, in one call.
    public static func verify(
        leaves: some Sequence<String>, checkpoint: AuditCheckpoint, publicKey: Curve25519.Signing.PublicKey?
    ) throws(AuditLogFailure) {
        var verifier = AuditLogVerifier(checksCanonicalJSON: true)
        try verifier.append(texts: leaves)
        try verifier.check(checkpoint, publicKey: publicKey)
    }
}

/// Why an audit log failed verification: the first bad leaf's index where one leaf is to
/// blame, and what is wrong.
public struct AuditLogFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The first bad leaf, when the failure points at one (an index or format problem, a
    /// missing leaf); `nil` when only a root or signature disagrees.
    public let index: Int64?
    public let reason: String

    public init(index: Int64?, reason: String) {
        self.index = index
        self.reason = reason
    }

    public var description: String { reason }
}
