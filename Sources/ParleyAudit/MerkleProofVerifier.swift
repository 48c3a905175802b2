/// The clients' side of RFC 9162's proofs: checks an inclusion proof (§2.1.3.2) or a
/// consistency proof (§2.1.4.2) against roots, with nothing but hashes — no tree needed.
public enum MerkleProofVerifier {
    /// Whether `proof` shows the leaf with hash `leafHash` at `index` in the tree of
    /// `treeSize` leaves whose root is `root`.
    public static func verifyInclusion(
        index: Int64, treeSize: Int64, leafHash: AuditHash, proof: [AuditHash], root: AuditHash
    ) -> Bool {
        guard index >= 0, index < treeSize else { return false }
        var indexNode = UInt64(index)
        var lastNode = UInt64(treeSize - 1)
        var hash = leafHash
        for sibling in proof {
            guard lastNode != 0 else { return false }
            if indexNode & 1 == 1 || indexNode == lastNode {
                hash = .node(sibling, hash)
                // A right edge shorter than its left neighbour: climb past the levels where
                // this node had no sibling.
                if indexNode & 1 == 0 {
                    while indexNode & 1 == 0 && indexNode != 0 {
                        indexNode >>= 1
                        lastNode >>= 1
                    }
                }
            } else {
                hash = .node(hash, sibling)
            }
            indexNode >>= 1
            lastNode >>= 1
        }
        return lastNode == 0 && hash == root
    }

    /// Whether `proof` shows the tree of `firstSize` leaves with root `firstRoot` to be a
    /// prefix of the tree of `secondSize` leaves with root `secondRoot`.
    public static func verifyConsistency(
        firstSize: Int64, secondSize: Int64, firstRoot: AuditHash, secondRoot: AuditHash, proof: [AuditHash]
    ) -> Bool {
        guard firstSize >= 1, firstSize <= secondSize else { return false }
        if firstSize == secondSize { return proof.isEmpty && firstRoot == secondRoot }
        guard !proof.isEmpty else { return false }
        var path = proof
        // A first tree that is a complete subtree is itself the proof's starting node.
        if firstSize & (firstSize - 1) == 0 { path.insert(firstRoot, at: 0) }
        var firstNode = UInt64(firstSize - 1)
        var secondNode = UInt64(secondSize - 1)
        while firstNode & 1 == 1 {
            firstNode >>= 1
            secondNode >>= 1
        }
        var firstHash = path[0]
        var secondHash = path[0]
        for node in path.dropFirst() {
            guard secondNode != 0 else { return false }
            if firstNode & 1 == 1 || firstNode == secondNode {
                firstHash = .node(node, firstHash)
                secondHash = .node(node, secondHash)
                if firstNode & 1 == 0 {
                    while firstNode & 1 == 0 && firstNode != 0 {
                        firstNode >>= 1
                        secondNode >>= 1
                    }
                }
            } else {
                secondHash = .node(secondHash, node)
            }
            firstNode >>= 1
            secondNode >>= 1
        }
        return firstHash == firstRoot && secondHash == secondRoot && secondNode == 0
    }
}
