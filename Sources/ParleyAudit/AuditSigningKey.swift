import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The audit log's Ed25519 key as a file: PEM "PRIVATE KEY" (PKCS#8, RFC 8410), loaded from
/// `--audit-key` or generated once into the data folder and reused from then on.
///
/// An Ed25519 PKCS#8 key is a fixed 16-byte DER prefix followed by the 32-byte seed, so it
/// is read and written here directly rather than through a general ASN.1 parser.
public enum AuditSigningKey {
    /// The file kept in the data folder when no key is given.
    public static let fileName = "audit-key.pem"

    /// SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 (Ed25519) }, OCTET STRING { OCTET STRING (32) } }.
    static let pkcs8Prefix: [UInt8] = [
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]
    static let beginLine = "-----BEGIN PRIVATE KEY-----"
    static let endLine = "-----END PRIVATE KEY-----"

    /// The key in a PEM text; throws saying what is wrong with it.
    public static func parse(pem: String) throws(AuditFormatError) -> Curve25519.Signing.PrivateKey {
        let lines = pem.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(of: beginLine), let end = lines.firstIndex(of: endLine), begin < end else {
            throw AuditFormatError("expected a PEM \"PRIVATE KEY\" block (PKCS#8 Ed25519, as `openssl genpkey -algorithm ed25519` writes)")
        }
        guard let der = Data(base64Encoded: lines[(begin + 1)..<end].joined()) else {
            throw AuditFormatError("the PEM block is not base64")
        }
        let bytes = Array(der)
        guard bytes.count == pkcs8Prefix.count + 32, Array(bytes.prefix(pkcs8Prefix.count)) == pkcs8Prefix else {
            throw AuditFormatError("not an Ed25519 private key (PKCS#8 with OID 1.3.101.112 and a 32-byte key)")
        }
        do {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: bytes.suffix(32))
        } catch {
            throw AuditFormatError("not an Ed25519 private key: \(error)")
        }
    }

    /// The PEM text of `key`.
    public static func pem(_ key: Curve25519.Signing.PrivateKey) -> String {
        let der = Data(pkcs8Prefix + Array(key.rawRepresentation))
        let base64 = der.base64EncodedString(options: [.lineLength64Characters])
        return "\(beginLine)\n\(base64)\n\(endLine)\n"
    }

    /// The key at `path`; throws saying what is wrong with the file.
    public static func load(path: String) throws(AuditFormatError) -> Curve25519.Signing.PrivateKey {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw AuditFormatError("cannot read \(path)")
        }
        do {
            return try parse(pem: text)
        } catch {
            throw AuditFormatError("\(path): \(error.description)")
        }
    }

    /// The key kept in `folder` (`audit-key.pem`), created there (mode 0600) on first use.
    /// Several nodes starting at once in the same folder end with the same key: the file
    /// appears whole (written aside, then linked into place), and a node that loses the
    /// race reads the winner's.
    public static func loadOrCreate(in folder: URL) throws(AuditFormatError) -> (key: Curve25519.Signing.PrivateKey, created: Bool) {
        let path = folder.appendingPathComponent(fileName).path
        if FileManager.default.fileExists(atPath: path) { return (try load(path: path), false) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw AuditFormatError("cannot create \(folder.path): \(error)")
        }
        let key = Curve25519.Signing.PrivateKey()
        let aside = path + ".\(getpid()).tmp"
        let descriptor = open(aside, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw AuditFormatError("cannot write \(aside): \(String(cString: strerror(errno)))") }
        let bytes = Array(pem(key).utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        defer { unlink(aside) }
        guard written == bytes.count, synced == 0 else { throw AuditFormatError("cannot write \(aside)") }
        if link(aside, path) != 0 {
            guard errno == EEXIST else { throw AuditFormatError("cannot create \(path): \(String(cString: strerror(errno)))") }
            return (try load(path: path), false)
        }
        return (key, true)
    }

    /// An audit public key from text: standard base64 of its 32 bytes, the JSON of
    /// `GET /api/audit/key`, or a PEM private key (whose public half is taken).
    public static func publicKey(from text: String) throws(AuditFormatError) -> Curve25519.Signing.PublicKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.contains(beginLine) { return try parse(pem: trimmed).publicKey }
        var base64 = trimmed
        if trimmed.hasPrefix("{") {
            guard let body = try? JSONDecoder().decode(AuditKeyJSON.self, from: Data(trimmed.utf8)) else {
                throw AuditFormatError("expected {\"publicKey\": \"<base64>\"}")
            }
            base64 = body.publicKey
        }
        guard let bytes = Data(base64Encoded: base64), bytes.count == 32,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)
        else {
            throw AuditFormatError("expected the standard base64 of a 32-byte Ed25519 public key")
        }
        return key
    }
}
