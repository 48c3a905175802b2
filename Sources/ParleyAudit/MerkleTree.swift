/// The audit log's Merkle tree (RFC 9162 §2.1): grows by appending leaf hashes and answers
/// the root, inclusion proofs and consistency proofs for any size up to its own.
///
/// It keeps the hash of every complete, aligned subtree: `levels[k][i]` covers leaves
/// `i·2ᵏ ..< (i+1)·2ᵏ`. Appending costs O(1) amortised; the hash of any range the RFC's
/// recursion meets is its complete left parts (one look-up each) plus a walk down the right
/// edge, so a root is O(log n) and a proof O(log² n) node hashes — never O(n). Memory: about
/// two 32-byte hashes per leaf (64 MB at 10⁶ leaves).
///
/// A value type with no locking: its owner (the server's audit service, an actor; the
/// verifier) serialises access.
public struct MerkleTree: Sendable {
    private var levels: [[AuditHash]] = [[]]

    public init() {}

    /// A tree of these leaf hashes, in order.
    public init(leafHashes: some Sequence<AuditHash>) {
        for hash in leafHashes { append(leafHash: hash) }
    }

    /// How many leaves it holds.
    public var size: Int64 { Int64(levels[0].count) }

    /// Adds the next leaf, by its leaf hash (`AuditHash.leaf`).
    public mutating func append(leafHash: AuditHash) {
        levels[0].append(leafHash)
        // Each level whose count became even closes a complete subtree one level up.
        var level = 0
        while levels[level].count.isMultiple(of: 2) {
            let count = levels[level].count
            let parent = AuditHash.node(levels[level][count - 2], levels[level][count - 1])
            if levels.count == level + 1 { levels.append([]) }
            levels[level + 1].append(parent)
            level += 1
        }
    }

    /// The leaf hash at `index` (< size).
    public func leafHash(at index: Int64) -> AuditHash {
        precondition(index >= 0 && index < size, "leaf \(index) outside a tree of \(size)")
        return levels[0][Int(index)]
    }

    /// The root of the tree's first `treeSize` leaves (MTH(D[0:treeSize])); the empty
    /// tree's hash for 0.
    public func root(size treeSize: Int64) throws(MerkleTreeError) -> AuditHash {
        guard treeSize >= 0, treeSize <= size else { throw .sizeOutOfRange(treeSize, size) }
        return treeSize == 0 ? .emptyTree : hash(start: 0, count: Int(treeSize))
    }

    /// The root of the whole tree.
    public var root: AuditHash { size == 0 ? .emptyTree : hash(start: 0, count: Int(size)) }

    /// The inclusion proof of leaf `index` in the tree of the first `treeSize` leaves
    /// (RFC 9162 §2.1.3.1), from the leaf's sibling up to the root's child.
    public func inclusionProof(index: Int64, treeSize: Int64) throws(MerkleTreeError) -> [AuditHash] {
        guard treeSize >= 1, treeSize <= size else { throw .sizeOutOfRange(treeSize, size) }
        guard index >= 0, index < treeSize else { throw .indexOutOfRange(index, treeSize) }
        var path: [AuditHash] = []
        inclusionPath(index: Int(index), start: 0, count: Int(treeSize), into: &path)
        return path
    }

    /// The consistency proof between the trees of the first `from` and `to` leaves
    /// (RFC 9162 §2.1.4.1); empty when they are the same size.
    public func consistencyProof(from: Int64, to: Int64) throws(MerkleTreeError) -> [AuditHash] {
        guard to >= 1, to <= size else { throw .sizeOutOfRange(to, size) }
        guard from >= 1, from <= to else { throw .fromOutOfRange(from, to) }
        var proof: [AuditHash] = []
        subproof(first: Int(from), start: 0, count: Int(to), startsFromOld: true, into: &proof)
        return proof
    }

    // MARK: - RFC 9162's recursion over ranges D[start ..< start+count]

    /// MTH(D[start ..< start+count]), count ≥ 1.
    private func hash(start: Int, count: Int) -> AuditHash {
        if count & (count - 1) == 0, start % count == 0 {
            return levels[count.trailingZeroBitCount][start / count]
        }
        let split = Self.largestPowerOfTwo(below: count)
        return .node(hash(start: start, count: split), hash(start: start + split, count: count - split))
    }

    /// PATH(m, D[n]): the recursive result first, then the sibling subtree at this level.
    private func inclusionPath(index: Int, start: Int, count: Int, into path: inout [AuditHash]) {
        guard count > 1 else { return }
        let split = Self.largestPowerOfTwo(below: count)
        if index < split {
            inclusionPath(index: index, start: start, count: split, into: &path)
            path.append(hash(start: start + split, count: count - split))
        } else {
            inclusionPath(index: index - split, start: start + split, count: count - split, into: &path)
            path.append(hash(start: start, count: split))
        }
    }

    /// SUBPROOF(m, D[n], b).
    private func subproof(first: Int, start: Int, count: Int, startsFromOld: Bool, into proof: inout [AuditHash]) {
        if first == count {
            if !startsFromOld { proof.append(hash(start: start, count: count)) }
            return
        }
        let split = Self.largestPowerOfTwo(below: count)
        if first <= split {
            subproof(first: first, start: start, count: split, startsFromOld: startsFromOld, into: &proof)
            proof.append(hash(start: start + split, count: count - split))
        } else {
            subproof(first: first - split, start: start + split, count: count - split, startsFromOld: false, into: &proof)
            proof.append(hash(start: start, count: split))
        }
    }

    /// The largest power of two strictly smaller than `count` (count ≥ 2).
    static func largestPowerOfTwo(below count: Int) -> Int {
        1 << (Int.bitWidth - 1 - (count - 1).leadingZeroBitCount)
    }
}

/// A tree size, index or proof range the tree cannot answer (the server's 400s).
public enum MerkleTreeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The size asked for, and the tree's size.
    case sizeOutOfRange(Int64, Int64)
    /// The leaf index asked for, and the tree size it must be below.
    case indexOutOfRange(Int64, Int64)
    /// The older size asked for, and the newer size it must not exceed.
    case fromOutOfRange(Int64, Int64)

    public var description: String {
        switch self {
        case .sizeOutOfRange(let asked, let size): "tree size \(asked) is outside 1...\(size)"
        case .indexOutOfRange(let index, let size): "leaf index \(index) is outside 0..<\(size)"
        case .fromOutOfRange(let from, let to): "tree size \(from) is outside 1...\(to)"
        }
    }
}
