import Foundation
import Testing

@testable import ParleyAudit

/// `MerkleTree` and `MerkleProofVerifier` against RFC 9162's definitions written out
/// literally (`NaiveMerkle`), for every tree size from 1 to 70 (every shape of right edge
/// up to six levels), and against known values.
@Suite struct MerkleTreeTests {
    static let maxSize = 70
    static let leaves: [[UInt8]] = (0..<maxSize).map { Array("leaf \($0) {\"x\":\($0 * 7)}".utf8) }
    static let tree = MerkleTree(leafHashes: leaves.map { AuditHash.leaf($0) })

    @Test func hashesAreRFC9162sLeafAndNodeHashes() {
        // SHA-256 of nothing, and of 0x00 alone (the empty leaf), as every SHA-256 knows them.
        #expect(AuditHash.emptyTree.base64 == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
        #expect(AuditHash.leaf([UInt8]()).base64 == "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=")
        let one = MerkleTree(leafHashes: [AuditHash.leaf([UInt8]())])
        #expect(one.root == AuditHash.leaf([UInt8]()))
        #expect(MerkleTree().root == .emptyTree)
    }

    @Test func rootsEqualTheRecursiveDefinitionForEverySize() throws {
        for size in 0...Self.maxSize {
            let expected = NaiveMerkle.mth(Self.leaves[0..<size])
            #expect(try Self.tree.root(size: Int64(size)) == expected, "size \(size)")
            #expect(MerkleTree(leafHashes: Self.leaves[0..<size].map { AuditHash.leaf($0) }).root == expected, "grown to \(size)")
        }
    }

    @Test func inclusionProofsEqualTheDefinitionAndVerify() throws {
        for size in 1...Self.maxSize {
            let root = try Self.tree.root(size: Int64(size))
            for index in 0..<size {
                let proof = try Self.tree.inclusionProof(index: Int64(index), treeSize: Int64(size))
                #expect(proof == NaiveMerkle.path(index, Self.leaves[0..<size]), "leaf \(index) of \(size)")
                #expect(
                    MerkleProofVerifier.verifyInclusion(
                        index: Int64(index), treeSize: Int64(size), leafHash: Self.tree.leafHash(at: Int64(index)),
                        proof: proof, root: root), "leaf \(index) of \(size)")
            }
        }
    }

    @Test func consistencyProofsEqualTheDefinitionAndVerify() throws {
        for second in 1...Self.maxSize {
            let secondRoot = try Self.tree.root(size: Int64(second))
            for first in 1...second {
                let proof = try Self.tree.consistencyProof(from: Int64(first), to: Int64(second))
                #expect(proof == NaiveMerkle.proof(first, Self.leaves[0..<second]), "\(first) → \(second)")
                #expect(
                    MerkleProofVerifier.verifyConsistency(
                        firstSize: Int64(first), secondSize: Int64(second), firstRoot: try Self.tree.root(size: Int64(first)),
                        secondRoot: secondRoot, proof: proof), "\(first) → \(second)")
            }
        }
    }

    @Test func aFlippedByteAnywhereFailsAnInclusionProof() throws {
        for size in [1, 2, 3, 7, 8, 33, 70] {
            let root = try Self.tree.root(size: Int64(size))
            for index in Set([0, size / 2, size - 1]) {
                let proof = try Self.tree.inclusionProof(index: Int64(index), treeSize: Int64(size))
                let leaf = Self.tree.leafHash(at: Int64(index))
                func verifies(_ proof: [AuditHash], leaf: AuditHash = leaf, root: AuditHash = root, index: Int = index, size: Int = size) -> Bool {
                    MerkleProofVerifier.verifyInclusion(index: Int64(index), treeSize: Int64(size), leafHash: leaf, proof: proof, root: root)
                }
                #expect(!verifies(proof, leaf: Self.flipped(leaf)))
                #expect(!verifies(proof, root: Self.flipped(root)))
                for position in proof.indices {
                    var bad = proof
                    bad[position] = Self.flipped(bad[position])
                    #expect(!verifies(bad), "hash \(position) of leaf \(index)'s proof in \(size)")
                }
                if !proof.isEmpty {
                    #expect(!verifies(Array(proof.dropLast())))
                    #expect(!verifies(proof + [proof[0]]))
                }
                #expect(!verifies(proof, index: (index + 1) % size) || size == 1)
            }
        }
    }

    @Test func aFlippedByteAnywhereFailsAConsistencyProof() throws {
        for (first, second) in [(1, 2), (3, 7), (4, 8), (6, 70), (32, 33), (64, 70), (69, 70)] {
            let proof = try Self.tree.consistencyProof(from: Int64(first), to: Int64(second))
            let firstRoot = try Self.tree.root(size: Int64(first))
            let secondRoot = try Self.tree.root(size: Int64(second))
            func verifies(_ proof: [AuditHash], firstRoot: AuditHash = firstRoot, secondRoot: AuditHash = secondRoot) -> Bool {
                MerkleProofVerifier.verifyConsistency(
                    firstSize: Int64(first), secondSize: Int64(second), firstRoot: firstRoot, secondRoot: secondRoot, proof: proof)
            }
            #expect(verifies(proof))
            #expect(!verifies(proof, firstRoot: Self.flipped(firstRoot)))
            #expect(!verifies(proof, secondRoot: Self.flipped(secondRoot)))
            for position in proof.indices {
                var bad = proof
                bad[position] = Self.flipped(bad[position])
                #expect(!verifies(bad), "hash \(position) of \(first) → \(second)")
            }
            #expect(!verifies([]))
        }
    }

    @Test func sizesAndIndexesOutsideTheTreeAreRefused() {
        #expect(throws: MerkleTreeError.sizeOutOfRange(71, 70)) { try Self.tree.root(size: 71) }
        #expect(throws: MerkleTreeError.indexOutOfRange(5, 5)) { try Self.tree.inclusionProof(index: 5, treeSize: 5) }
        #expect(throws: MerkleTreeError.sizeOutOfRange(0, 70)) { try Self.tree.inclusionProof(index: 0, treeSize: 0) }
        #expect(throws: MerkleTreeError.fromOutOfRange(0, 5)) { try Self.tree.consistencyProof(from: 0, to: 5) }
        #expect(throws: MerkleTreeError.fromOutOfRange(6, 5)) { try Self.tree.consistencyProof(from: 6, to: 5) }
        #expect(throws: MerkleTreeError.sizeOutOfRange(80, 70)) { try Self.tree.consistencyProof(from: 6, to: 80) }
        #expect(!MerkleProofVerifier.verifyInclusion(index: 3, treeSize: 3, leafHash: .emptyTree, proof: [], root: .emptyTree))
    }

    static func flipped(_ hash: AuditHash) -> AuditHash {
        var bytes = hash.bytes
        bytes[Int.random(in: 0..<32)] ^= UInt8(1) << UInt8.random(in: 0..<8)
        return AuditHash(bytes: bytes)!
    }
}
