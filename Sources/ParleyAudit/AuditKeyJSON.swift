import Crypto
import Foundation

/// The body of `GET /api/audit/key`: the 32-byte Ed25519 public key in standard base64.
public struct AuditKeyJSON: Codable, Sendable, Equatable {
    public var publicKey: String

    public init(publicKey: String) {
        self.publicKey = publicKey
    }

    public init(_ key: Curve25519.Signing.PublicKey) {
        publicKey = key.rawRepresentation.base64EncodedString()
    }
}
