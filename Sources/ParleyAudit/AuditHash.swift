import Crypto
import Foundation

/// A SHA-256 value in the audit log's Merkle tree (RFC 9162 §2.1.1): a leaf hash, a node
/// hash or a root. Kept inline (32 bytes, no heap allocation) because the tree holds about
/// two of them per leaf.
public struct AuditHash: Sendable, Hashable, CustomStringConvertible {
    /// The 32 bytes of the digest.
    public let storage: SIMD32<UInt8>

    public static let byteCount = 32

    public init(storage: SIMD32<UInt8>) {
        self.storage = storage
    }

    /// `nil` unless exactly 32 bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        var storage = SIMD32<UInt8>()
        for (offset, byte) in bytes.enumerated() { storage[offset] = byte }
        self.storage = storage
    }

    /// `nil` unless standard base64 (with padding) of exactly 32 bytes.
    public init?(base64: String) {
        guard let data = Data(base64Encoded: base64) else { return nil }
        self.init(bytes: data)
    }

    public var bytes: [UInt8] { (0..<Self.byteCount).map { storage[$0] } }

    /// Standard base64 with padding, as the contract writes hashes.
    public var base64: String { Data(bytes).base64EncodedString() }

    public var description: String { base64 }

    /// The hash of the empty tree: SHA-256 of no bytes (RFC 9162 §2.1.1).
    public static let emptyTree = AuditHash(digest: SHA256.hash(data: [UInt8]()))

    /// `SHA-256(0x00 ‖ leaf)`.
    public static func leaf(_ leaf: some DataProtocol) -> AuditHash {
        var hasher = SHA256()
        hasher.update(data: [UInt8(0x00)])
        hasher.update(data: leaf)
        return AuditHash(digest: hasher.finalize())
    }

    /// The leaf hash of a leaf's text: its UTF-8 bytes, exactly as stored.
    public static func leaf(text: String) -> AuditHash {
        leaf(Array(text.utf8))
    }

    /// `SHA-256(0x01 ‖ left ‖ right)`.
    public static func node(_ left: AuditHash, _ right: AuditHash) -> AuditHash {
        var hasher = SHA256()
        hasher.update(data: [UInt8(0x01)])
        withUnsafeBytes(of: left.storage) { hasher.update(bufferPointer: $0) }
        withUnsafeBytes(of: right.storage) { hasher.update(bufferPointer: $0) }
        return AuditHash(digest: hasher.finalize())
    }

    init(digest: SHA256.Digest) {
        storage = digest.withUnsafeBytes { $0.loadUnaligned(as: SIMD32<UInt8>.self) }
    }
}
