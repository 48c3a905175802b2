import Crypto
import Foundation
import ParleyCore
import Testing

@testable import ParleyAudit

/// The whole-log verifier on leaves `AuditLeaf` writes: a good log passes; an edited,
/// moved, dropped or truncated leaf, a non-canonical text and a foreign signature fail,
/// naming the first bad leaf where one is to blame.
@Suite struct AuditLogVerifierTests {
    static let key = Curve25519.Signing.PrivateKey()

    static func leaves(_ count: Int) -> [String] {
        (0..<count).map { index in
            let record = AuditRecord(
                time: Timestamp(millisecondsSince1970: 1_795_000_000_000 + Int64(index)), actor: "agent\(index % 3)",
                role: "support", action: .assigneeChanged, conversationID: "c\(index / 4)",
                details: ["assignedTo": "agent7", "nested": .object(["index": 99, "note": "a \"quoted\" ,\"index\":5 text"])])
            return AuditLeaf.canonicalJSON(index: Int64(index), record: record)
        }
    }

    static func checkpoint(_ leaves: [String], size: Int? = nil) throws -> AuditCheckpoint {
        let tree = MerkleTree(leafHashes: leaves.prefix(size ?? leaves.count).map { AuditHash.leaf(text: $0) })
        return try AuditCheckpoint.sign(treeSize: tree.size, rootHash: tree.root, time: Timestamp(millisecondsSince1970: 0), key: key)
    }

    func firstFailure(_ leaves: [String], _ checkpoint: AuditCheckpoint) -> AuditLogFailure? {
        do {
            try AuditLogVerifier.verify(leaves: leaves, checkpoint: checkpoint, publicKey: Self.key.publicKey)
            return nil
        } catch {
            return error
        }
    }

    @Test func aGoodLogPassesWithLaterLeavesBeyondTheCheckpoint() throws {
        let leaves = Self.leaves(20)
        #expect(firstFailure(leaves, try Self.checkpoint(leaves)) == nil)
        #expect(firstFailure(leaves, try Self.checkpoint(leaves, size: 13)) == nil)
        #expect(AuditLeafText.index(of: leaves[7]) == 7)
        #expect(try AuditLeafText.canonicalIndex(of: leaves[7]) == 7)
    }

    @Test func anEditedLeafFailsTheRoot() throws {
        var leaves = Self.leaves(20)
        let checkpoint = try Self.checkpoint(leaves)
        leaves[11] = leaves[11].replacingOccurrences(of: "agent7", with: "agent8")
        let failure = try #require(firstFailure(leaves, checkpoint))
        #expect(failure.index == nil)
        #expect(failure.reason.contains("edited"))
    }

    @Test func aMovedOrDroppedLeafIsNamed() throws {
        let leaves = Self.leaves(20)
        let checkpoint = try Self.checkpoint(leaves)
        var swapped = leaves
        swapped.swapAt(5, 9)
        #expect(firstFailure(swapped, checkpoint)?.index == 5)
        var dropped = leaves
        dropped.remove(at: 12)
        #expect(firstFailure(dropped, checkpoint)?.index == 12)
    }

    @Test func aTruncatedLogNamesTheFirstMissingLeaf() throws {
        let leaves = Self.leaves(20)
        let failure = try #require(firstFailure(Array(leaves.prefix(15)), try Self.checkpoint(leaves)))
        #expect(failure.index == 15)
    }

    @Test func aStoredIndexOutOfPlaceIsNamed() throws {
        var verifier = AuditLogVerifier(checksCanonicalJSON: false)
        let leaves = Self.leaves(3)
        try verifier.append(StoredAuditLeaf(index: 0, text: leaves[0]))
        #expect(throws: AuditLogFailure.self) { try verifier.append(StoredAuditLeaf(index: 2, text: leaves[2])) }
    }

    @Test func nonCanonicalTextIsNamed() throws {
        var leaves = Self.leaves(4)
        let checkpoint = try Self.checkpoint(leaves)
        leaves[2] = leaves[2].replacingOccurrences(of: #""role":"#, with: #""role": "#)
        #expect(firstFailure(leaves, checkpoint)?.index == 2)
        leaves = Self.leaves(4)
        leaves[1] = leaves[1].replacingOccurrences(of: #""index":1,"#, with: #""index":1.0,"#)
        #expect(firstFailure(leaves, checkpoint)?.index == 1)
    }

    @Test func aCheckpointSignedByAnotherKeyFails() throws {
        let leaves = Self.leaves(5)
        let tree = MerkleTree(leafHashes: leaves.map { AuditHash.leaf(text: $0) })
        let foreign = try AuditCheckpoint.sign(
            treeSize: 5, rootHash: tree.root, time: Timestamp(millisecondsSince1970: 0), key: Curve25519.Signing.PrivateKey())
        #expect(firstFailure(leaves, foreign)?.reason.contains("not signed") == true)
    }

    /// A negative size (a damaged row, or a checkpoint built in memory) is a failure, not a
    /// trap: the server's start-up check and `parley audit verify` run this on stored data.
    @Test func aNegativeTreeSizeFailsInsteadOfTrapping() throws {
        let leaves = Self.leaves(3)
        let negative = try AuditCheckpoint.sign(
            treeSize: -1, rootHash: .emptyTree, time: Timestamp(millisecondsSince1970: 0), key: Self.key)
        let failure = firstFailure(leaves, negative)
        #expect(failure?.reason.contains("negative tree size") == true, "\(String(describing: failure))")
        var unsigned = AuditLogVerifier(checksCanonicalJSON: true)
        try unsigned.append(texts: leaves)
        #expect(throws: AuditLogFailure.self) { try unsigned.check(negative, publicKey: nil) }
    }
}
