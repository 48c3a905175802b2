import Crypto
import Foundation
import ParleyCore
import Synchronization

/// Identifies this server to push services (VAPID, RFC 8292): signs the
/// `Authorization: vapid t=<JWT>, k=<public key>` header of every push.
///
/// The JWT is ES256 with `aud` = the push endpoint's origin, `exp` in integer seconds
/// `tokenLifetime` ahead and `sub` = the operator's contact. A token is reused for the
/// same origin until `renewalMargin` before it expires: signing is on the path of every
/// push, and push services accept any unexpired token.
///
/// The JWT is put together here with swift-crypto's P-256 signing rather than through
/// jwt-kit: jwt-kit's signing is asynchronous (its key collection is an actor) and its
/// default encoder writes `exp` with a fraction, which push services refuse; three
/// base64url parts and one ECDSA signature need neither.
public final class VAPIDSigner: Sendable {
    /// Why a key, subject or endpoint was refused.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case invalidPrivateKey(String)
        case invalidSubject(String)
        case invalidEndpoint(String)

        public var description: String {
            switch self {
            case .invalidPrivateKey(let reason): "invalid VAPID private key: \(reason)"
            case .invalidSubject(let subject): "invalid VAPID subject \"\(subject)\": it must be a mailto: or https: URI"
            case .invalidEndpoint(let endpoint): "invalid push endpoint \"\(endpoint)\": it needs a scheme and a host"
            }
        }
    }

    /// How far ahead `exp` lies: half of the 24 h RFC 8292 allows, so that a push service's
    /// clock running ahead of ours does not make the token look too long-lived.
    public static let tokenLifetimeSeconds: Int64 = 12 * 3600
    /// A cached token is replaced this long before its `exp`, so that none is sent that
    /// expires while the push is in flight or queued at the push service.
    public static let renewalMarginSeconds: Int64 = 3600
    /// Origins whose tokens are kept; beyond it the cache is emptied (push services are a
    /// handful of origins in practice, but endpoints come from users).
    static let cachedOriginLimit = 256

    /// The public key as the `k` of the header and `GET /api/push/key`: unpadded base64url
    /// of the 65-byte uncompressed P-256 point.
    public let publicKey: String
    /// The contact sent as `sub`: `mailto:…` or `https:…`.
    public let subject: String

    private let signingKey: P256.Signing.PrivateKey
    /// `base64url({"alg":"ES256","typ":"JWT"})`, the same for every token.
    private let encodedHeader = Data(#"{"alg":"ES256","typ":"JWT"}"#.utf8).base64URLEncodedString()
    private let cache = Mutex<[String: (token: String, expires: Int64)]>([:])

    /// A signer with `signingKey` and the operator contact `subject`.
    public init(signingKey: P256.Signing.PrivateKey, subject: String) throws {
        guard subject.hasPrefix("mailto:") || subject.hasPrefix("https:") else { throw Failure.invalidSubject(subject) }
        self.signingKey = signingKey
        self.subject = subject
        self.publicKey = signingKey.publicKey.x963Representation.base64URLEncodedString()
    }

    /// A signer whose key is the PEM text of a P-256 private key: PKCS#8 (`PRIVATE KEY`)
    /// or SEC 1 (`EC PRIVATE KEY`).
    public convenience init(pem: String, subject: String) throws {
        let key: P256.Signing.PrivateKey
        do {
            key = try P256.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw Failure.invalidPrivateKey("not a PEM P-256 private key (PKCS#8 PRIVATE KEY or SEC 1 EC PRIVATE KEY)")
        }
        try self.init(signingKey: key, subject: subject)
    }

    /// A signer with a new random key (for `--dev`, which keeps its `pemRepresentation`
    /// in the data folder).
    public static func generate(subject: String) throws -> VAPIDSigner {
        try VAPIDSigner(signingKey: P256.Signing.PrivateKey(), subject: subject)
    }

    /// The key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), readable by `init(pem:subject:)`.
    public var pemRepresentation: String {
        signingKey.pemRepresentation
    }

    /// The `Authorization` header value for a push to `endpoint`, valid at `now`.
    public func authorization(for endpoint: String, now: Timestamp) throws -> String {
        guard let url = URL(string: endpoint) else { throw Failure.invalidEndpoint(endpoint) }
        let audience = try Self.audience(of: url)
        let seconds = now.millisecondsSince1970 / 1000
        if let cached = cache.withLock({ $0[audience] }), seconds < cached.expires - Self.renewalMarginSeconds,
            cached.expires - seconds <= Self.tokenLifetimeSeconds
        {
            return "vapid t=\(cached.token), k=\(publicKey)"
        }
        let expires = seconds + Self.tokenLifetimeSeconds
        let token = try token(audience: audience, expires: expires)
        cache.withLock { cache in
            if cache.count >= Self.cachedOriginLimit { cache.removeAll() }
            cache[audience] = (token, expires)
        }
        return "vapid t=\(token), k=\(publicKey)"
    }

    /// A new ES256 JWT (RFC 7515 compact form) for `audience`, expiring at `expires`
    /// (seconds since 1970).
    func token(audience: String, expires: Int64) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let claims = try encoder.encode(Claims(aud: audience, exp: expires, sub: subject))
        let signingInput = encodedHeader + "." + claims.base64URLEncodedString()
        // ES256: ECDSA P-256 over SHA-256 of the signing input, written as r ‖ s (64 bytes).
        let signature = try signingKey.signature(for: Data(signingInput.utf8))
        return signingInput + "." + signature.rawRepresentation.base64URLEncodedString()
    }

    /// The origin of `endpoint` (RFC 6454 serialisation): `scheme://host`, with `:port`
    /// only when it is not the scheme's default; no path, no trailing slash.
    public static func audience(of endpoint: URL) throws -> String {
        guard let components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false),
            let scheme = components.scheme?.lowercased(), var host = components.host?.lowercased(), !host.isEmpty
        else { throw Failure.invalidEndpoint(endpoint.absoluteString) }
        if host.contains(":"), !host.hasPrefix("[") { host = "[\(host)]" }
        let defaultPort = scheme == "https" ? 443 : scheme == "http" ? 80 : nil
        if let port = components.port, port != defaultPort { return "\(scheme)://\(host):\(port)" }
        return "\(scheme)://\(host)"
    }

    /// The JWT's claims; `exp` is an integer, as RFC 7519's NumericDate must be for push services.
    struct Claims: Encodable {
        var aud: String
        var exp: Int64
        var sub: String
    }
}
