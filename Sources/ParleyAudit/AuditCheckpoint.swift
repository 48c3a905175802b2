import Crypto
import Foundation
import ParleyCore

/// A signed tree head of the audit log: the tree's size and root at a time, signed with
/// the server's Ed25519 audit key over
/// `parley-audit-v1\n<treeSize>\n<rootHash base64>\n<timestamp>\n` (UTF-8).
///
/// Anyone holding the public key (`GET /api/audit/key`) can check it; a copy kept where
/// the operator cannot edit it pins the log: every later tree must be consistent with it.
public struct AuditCheckpoint: Sendable, Equatable {
    public var treeSize: Int64
    public var rootHash: AuditHash
    /// RFC 3339, as `Timestamp.rfc3339` writes it and as signed.
    public var timestamp: String
    /// Ed25519, 64 bytes.
    public var signature: [UInt8]

    /// The first line of the signed text: names the format, so a signature over it means
    /// nothing anywhere else.
    public static let formatLine = "parley-audit-v1"

    public init(treeSize: Int64, rootHash: AuditHash, timestamp: String, signature: [UInt8]) {
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.timestamp = timestamp
        self.signature = signature
    }

    /// Signs the tree head `treeSize`/`rootHash` as of `time`.
    public static func sign(
        treeSize: Int64, rootHash: AuditHash, time: Timestamp, key: Curve25519.Signing.PrivateKey
    ) throws -> AuditCheckpoint {
        let timestamp = time.rfc3339
        let text = signedText(treeSize: treeSize, rootHash: rootHash, timestamp: timestamp)
        let signature = try key.signature(for: Array(text.utf8))
        return AuditCheckpoint(treeSize: treeSize, rootHash: rootHash, timestamp: timestamp, signature: Array(signature))
    }

    /// The exact text that is signed.
    public static func signedText(treeSize: Int64, rootHash: AuditHash, timestamp: String) -> String {
        "\(formatLine)\n\(treeSize)\n\(rootHash.base64)\n\(timestamp)\n"
    }

    public var signedText: String { Self.signedText(treeSize: treeSize, rootHash: rootHash, timestamp: timestamp) }

    /// Whether `publicKey` signed this tree head.
    public func isSigned(by publicKey: Curve25519.Signing.PublicKey) -> Bool {
        publicKey.isValidSignature(signature, for: Array(signedText.utf8))
    }

    // MARK: - Stored and wire forms

    /// From the database's row; throws saying which field is wrong (a negative size, a
    /// root that is not 32 bytes): such a row was not written by a node, so it is treated
    /// as damage, never trusted or trapped on.
    public init(stored: StoredAuditCheckpoint) throws(AuditFormatError) {
        guard stored.treeSize >= 0 else { throw AuditFormatError("tree_size: \(stored.treeSize), must be 0 or more") }
        guard let root = AuditHash(bytes: stored.rootHash) else {
            throw AuditFormatError("root_hash: \(stored.rootHash.count) bytes, expected 32")
        }
        self.init(treeSize: stored.treeSize, rootHash: root, timestamp: stored.timestamp, signature: stored.signature)
    }

    public var stored: StoredAuditCheckpoint {
        StoredAuditCheckpoint(treeSize: treeSize, rootHash: rootHash.bytes, timestamp: timestamp, signature: signature)
    }

    /// The body of `GET /api/audit/checkpoint`.
    public var json: AuditCheckpointJSON {
        AuditCheckpointJSON(
            treeSize: treeSize, rootHash: rootHash.base64, timestamp: timestamp,
            signature: Data(signature).base64EncodedString())
    }

    /// From the body of `GET /api/audit/checkpoint`; throws saying which field is wrong.
    public init(json: AuditCheckpointJSON) throws(AuditFormatError) {
        guard json.treeSize >= 0 else { throw AuditFormatError("treeSize: must be 0 or more") }
        guard let root = AuditHash(base64: json.rootHash) else {
            throw AuditFormatError("rootHash: expected standard base64 of 32 bytes")
        }
        guard let signature = Data(base64Encoded: json.signature), signature.count == 64 else {
            throw AuditFormatError("signature: expected standard base64 of 64 bytes")
        }
        self.init(treeSize: json.treeSize, rootHash: root, timestamp: json.timestamp, signature: Array(signature))
    }
}
