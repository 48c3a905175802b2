@testable import ParleyAudit

/// RFC 9162 §2.1's definitions written out literally over the list of leaves (MTH, PATH,
/// PROOF/SUBPROOF), O(n) per call: the reference `MerkleTree` is held against.
enum NaiveMerkle {
    static func largestPowerOfTwo(below n: Int) -> Int {
        var k = 1
        while k * 2 < n { k *= 2 }
        return k
    }

    static func mth(_ leaves: ArraySlice<[UInt8]>) -> AuditHash {
        if leaves.isEmpty { return .emptyTree }
        if leaves.count == 1 { return .leaf(leaves.first!) }
        let k = largestPowerOfTwo(below: leaves.count)
        let start = leaves.startIndex
        return .node(mth(leaves[start..<start + k]), mth(leaves[(start + k)...]))
    }

    static func path(_ m: Int, _ leaves: ArraySlice<[UInt8]>) -> [AuditHash] {
        if leaves.count == 1 { return [] }
        let k = largestPowerOfTwo(below: leaves.count)
        let start = leaves.startIndex
        if m < k { return path(m, leaves[start..<start + k]) + [mth(leaves[(start + k)...])] }
        return path(m - k, leaves[(start + k)...]) + [mth(leaves[start..<start + k])]
    }

    static func proof(_ m: Int, _ leaves: ArraySlice<[UInt8]>) -> [AuditHash] {
        subproof(m, leaves, true)
    }

    static func subproof(_ m: Int, _ leaves: ArraySlice<[UInt8]>, _ b: Bool) -> [AuditHash] {
        let n = leaves.count
        if m == n { return b ? [] : [mth(leaves)] }
        let k = largestPowerOfTwo(below: n)
        let start = leaves.startIndex
        if m <= k { return subproof(m, leaves[start..<start + k], b) + [mth(leaves[(start + k)...])] }
        return subproof(m - k, leaves[(start + k)...], false) + [mth(leaves[start..<start + k])]
    }
}
