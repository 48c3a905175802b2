/// The vocabulary as a trie over Unicode scalars, so the tokenizer finds every piece that
/// starts at a position in one walk.
///
/// Nodes are numbered from 0 (the root); an edge is a hash-table entry keyed by the parent
/// node and the scalar. When two pieces are spelled the same, the later id wins, as in the
/// reference tokenizer.
struct PieceTrie: Sendable {
    static let root: Int32 = 0

    private var children: [UInt64: Int32] = [:]
    /// The id of the piece that ends at each node, or -1 where none does.
    private var pieceAtNode: [Int32] = [-1]

    init(pieces: [String]) {
        children.reserveCapacity(pieces.count * 4)
        for (id, piece) in pieces.enumerated() {
            var node = Self.root
            for scalar in piece.unicodeScalars {
                let key = Self.key(node, scalar.value)
                if let child = children[key] {
                    node = child
                } else {
                    let child = Int32(pieceAtNode.count)
                    pieceAtNode.append(-1)
                    children[key] = child
                    node = child
                }
            }
            pieceAtNode[Int(node)] = Int32(id)
        }
    }

    /// The node reached from `node` by `scalar`, or nil when no piece continues that way.
    func child(of node: Int32, _ scalar: UInt32) -> Int32? {
        children[Self.key(node, scalar)]
    }

    /// The id of the piece spelled by the path to `node`, or nil when it is only a prefix.
    func piece(at node: Int32) -> Int32? {
        let id = pieceAtNode[Int(node)]
        return id >= 0 ? id : nil
    }

    private static func key(_ node: Int32, _ scalar: UInt32) -> UInt64 {
        UInt64(UInt32(bitPattern: node)) << 32 | UInt64(scalar)
    }
}
