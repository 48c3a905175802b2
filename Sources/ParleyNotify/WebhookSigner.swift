import Crypto
import Foundation

/// Signs webhook deliveries the Standard Webhooks v1 way, and makes their secrets.
///
/// A secret is `whsec_<base64>`; the HMAC key is the base64-decoded part. The signed
/// content is `"<webhook-id>.<webhook-timestamp>.<body>"`, and the `webhook-signature`
/// header lists one `v1,<base64 HMAC-SHA256>` per secret, space-separated (two while a
/// rotated-out secret is still in its grace period).
public enum WebhookSigner {
    /// Why a secret was refused.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case invalidSecret(String)

        public var description: String {
            switch self {
            case .invalidSecret(let reason): "invalid webhook secret: \(reason)"
            }
        }
    }

    /// The prefix that marks a Standard Webhooks secret.
    public static let secretPrefix = "whsec_"
    /// Bytes of a new secret's key: 32, the HMAC-SHA256 output size, inside the 24 to 64
    /// bytes the specification asks for.
    public static let secretKeySize = 32

    /// A new random secret, `whsec_` + base64 of `secretKeySize` bytes.
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let key = Data((0..<secretKeySize).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        return secretPrefix + key.base64EncodedString()
    }

    /// The HMAC key of `secret`: the base64-decoded text after `whsec_` (a secret without
    /// the prefix is taken as base64 alone, as the reference libraries do).
    public static func key(of secret: String) throws -> SymmetricKey {
        let encoded = secret.hasPrefix(secretPrefix) ? String(secret.dropFirst(secretPrefix.count)) : secret
        guard let bytes = Data(base64Encoded: encoded), !bytes.isEmpty else { throw Failure.invalidSecret("not whsec_ followed by base64") }
        return SymmetricKey(data: bytes)
    }

    /// The `webhook-signature` header value: `v1,<base64>` for each of `secrets`, in order,
    /// separated by spaces.
    ///
    /// - Parameters:
    ///   - id: the `webhook-id` header (the same on every retry of one event).
    ///   - timestamp: the `webhook-timestamp` header exactly as sent: integer seconds since 1970.
    ///   - body: the exact bytes sent.
    public static func signature(id: String, timestamp: String, body: some Sequence<UInt8>, secrets: [String]) throws -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        return try secrets.map { secret in
            let mac = HMAC<SHA256>.authenticationCode(for: content, using: try key(of: secret))
            return "v1," + Data(mac).base64EncodedString()
        }.joined(separator: " ")
    }
}
