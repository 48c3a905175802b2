import Crypto
import Foundation
import ParleyCore
import Testing

@testable import ParleyAudit

/// Checkpoints (signed text, JSON, stored form) and the audit key's PEM file.
@Suite struct AuditCheckpointTests {
    @Test func theSignedTextIsTheContractsAndTheSignatureVerifies() throws {
        let key = Curve25519.Signing.PrivateKey()
        let root = AuditHash.leaf(text: "x")
        let time = Timestamp(millisecondsSince1970: 1_795_000_000_123)
        let checkpoint = try AuditCheckpoint.sign(treeSize: 7, rootHash: root, time: time, key: key)
        #expect(checkpoint.signedText == "parley-audit-v1\n7\n\(root.base64)\n\(time.rfc3339)\n")
        #expect(checkpoint.timestamp == time.rfc3339)
        #expect(checkpoint.isSigned(by: key.publicKey))
        #expect(!checkpoint.isSigned(by: Curve25519.Signing.PrivateKey().publicKey))
        var bigger = checkpoint
        bigger.treeSize = 8
        #expect(!bigger.isSigned(by: key.publicKey))
    }

    @Test func theJSONAndStoredFormsRoundTrip() throws {
        let key = Curve25519.Signing.PrivateKey()
        let checkpoint = try AuditCheckpoint.sign(
            treeSize: 3, rootHash: .leaf(text: "y"), time: Timestamp(millisecondsSince1970: 0), key: key)
        let data = try JSONEncoder().encode(checkpoint.json)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["treeSize", "rootHash", "timestamp", "signature"])
        #expect((object["rootHash"] as? String)?.hasSuffix("=") == true, "standard base64 with padding")
        #expect(try AuditCheckpoint(json: JSONDecoder().decode(AuditCheckpointJSON.self, from: data)) == checkpoint)
        #expect(try AuditCheckpoint(stored: checkpoint.stored) == checkpoint)
        var bad = checkpoint.json
        bad.rootHash = "AAAA"
        #expect(throws: AuditFormatError.self) { try AuditCheckpoint(json: bad) }
    }

    /// A stored row no node writes (a negative size, a short root) is a format error
    /// naming the column, so the start-up check marks the log corrupt instead of trusting it.
    @Test func aStoredRowWithANegativeSizeOrAShortRootIsAFormatError() throws {
        let checkpoint = try AuditCheckpoint.sign(
            treeSize: 3, rootHash: .leaf(text: "y"), time: Timestamp(millisecondsSince1970: 0), key: Curve25519.Signing.PrivateKey())
        var negative = checkpoint.stored
        negative.treeSize = -1
        #expect(throws: AuditFormatError("tree_size: -1, must be 0 or more")) { try AuditCheckpoint(stored: negative) }
        var short = checkpoint.stored
        short.rootHash = [1, 2, 3]
        #expect(throws: AuditFormatError("root_hash: 3 bytes, expected 32")) { try AuditCheckpoint(stored: short) }
    }

    @Test func aKeyFileIsCreatedOnceWithMode0600AndReused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("audit-key-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (first, created) = try AuditSigningKey.loadOrCreate(in: folder)
        #expect(created)
        let path = folder.appendingPathComponent(AuditSigningKey.fileName).path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let (again, createdAgain) = try AuditSigningKey.loadOrCreate(in: folder)
        #expect(!createdAgain)
        #expect(again.rawRepresentation == first.rawRepresentation)
        let remaining = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(remaining == [AuditSigningKey.fileName], "no file left aside")
    }

    /// The PEM `openssl genpkey -algorithm ed25519` writes for RFC 8032's first test key.
    @Test func anOpenSSLKeyIsReadAndOtherKeysAreRefusedClearly() throws {
        let pem = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
            -----END PRIVATE KEY-----
            """
        let key = try AuditSigningKey.parse(pem: pem)
        // RFC 8032 §7.1 TEST 1's public key.
        #expect(
            key.publicKey.rawRepresentation.map { String(format: "%02x", $0) }.joined()
                == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        #expect(try AuditSigningKey.parse(pem: AuditSigningKey.pem(key)).rawRepresentation == key.rawRepresentation)
        #expect(try AuditSigningKey.publicKey(from: key.publicKey.rawRepresentation.base64EncodedString()) == key.publicKey)
        #expect(try AuditSigningKey.publicKey(from: #"{"publicKey":"\#(key.publicKey.rawRepresentation.base64EncodedString())"}"#) == key.publicKey)
        // A P-256 key in PKCS#8.
        let p256 = P256.Signing.PrivateKey().pemRepresentation
        #expect(throws: AuditFormatError.self) { try AuditSigningKey.parse(pem: p256) }
        #expect(throws: AuditFormatError.self) { try AuditSigningKey.parse(pem: "not a key") }
    }
}

extension Curve25519.Signing.PublicKey: @retroactive Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rawRepresentation == rhs.rawRepresentation }
}
