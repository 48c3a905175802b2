import Foundation
import JWTKit
import ParleyCore
import Synchronization

/// Turns a bearer token into a `Principal`, or refuses it.
///
/// Only the one configured algorithm is accepted (HS256 with a secret, or ES256/RS256
/// with a public key): the header's `alg` is checked before jwt-kit sees the token, so
/// `alg: none` and algorithm confusion (an HMAC token signed with a public key's bytes)
/// are refused. `exp` is required; `nbf`, `iss` and `aud` are checked here, with at most
/// `Self.leeway` of clock skew.
public struct TokenVerifier: Sendable {
    /// Clock skew tolerated between the marketplace and this server.
    public static let leeway: TimeInterval = 60
    /// A token longer than this is not a token (bounds work on garbage input).
    public static let maxTokenBytes = 8192
    /// HS256 secrets shorter than this are refused at start (jwt-kit asserts on them,
    /// and they can be brute-forced).
    public static let minimumSecretBytes = 32

    public enum Key: Sendable {
        case hmacSecret(String)
        case publicKeyPEM(String)
    }

    /// Verified tokens remembered, so a client sending the same token again skips the
    /// signature check and two JSON decodes. Bounded; entries end with their token.
    static let maxCachedTokens = 50_000

    private let keys: JWTKeyCollection
    private let algorithm: String
    private let issuer: String?
    private let audience: String?
    private let cache = VerifiedTokenCache(capacity: TokenVerifier.maxCachedTokens)

    /// Fails with a message fit for an operator when the key is unusable.
    public init(key: Key, issuer: String? = nil, audience: String? = nil) async throws {
        let keys = JWTKeyCollection()
        switch key {
        case .hmacSecret(let secret):
            guard secret.utf8.count >= Self.minimumSecretBytes else {
                throw ConfigurationError("the JWT secret must be at least \(Self.minimumSecretBytes) bytes long")
            }
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
            algorithm = "HS256"
        case .publicKeyPEM(let pem):
            if let ecdsa = try? ES256PublicKey(pem: pem) {
                await keys.add(ecdsa: ecdsa)
                algorithm = "ES256"
            } else if let rsa = try? Insecure.RSA.PublicKey(pem: pem) {
                await keys.add(rsa: rsa, digestAlgorithm: .sha256)
                algorithm = "RS256"
            } else {
                throw ConfigurationError("the JWT public key is neither a P-256 EC nor an RSA (2048+ bits) public key in PEM")
            }
        }
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
    }

    /// The algorithm tokens must use: `HS256`, `ES256` or `RS256`.
    public var expectedAlgorithm: String { algorithm }

    public func verify(_ token: String, now: Date = Date()) async throws(ParleyError) -> Principal {
        let nowMilliseconds = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        if let principal = cache.principal(for: token, nowMilliseconds: nowMilliseconds - Int64(Self.leeway * 1000)) {
            return principal
        }
        let principal = try await verifyUncached(token, now: now)
        cache.insert(principal, for: token)
        return principal
    }

    private func verifyUncached(_ token: String, now: Date) async throws(ParleyError) -> Principal {
        guard token.utf8.count <= Self.maxTokenBytes else { throw .unauthenticated(reason: "token too long") }
        guard let header = Self.header(of: token) else { throw .unauthenticated(reason: "malformed token") }
        guard header.alg == algorithm else {
            throw .unauthenticated(reason: "token algorithm \(header.alg ?? "missing") is not accepted; use \(algorithm)")
        }
        let payload: TokenPayload
        do {
            payload = try await keys.verify(token, as: TokenPayload.self)
        } catch let error as DecodingError {
            throw .unauthenticated(reason: "token claims: \(Self.describe(error))")
        } catch {
            throw .unauthenticated(reason: "token signature or format is not valid")
        }
        let seconds = now.timeIntervalSince1970
        if payload.exp + Self.leeway < seconds { throw .unauthenticated(reason: "token expired") }
        if let notBefore = payload.nbf, notBefore - Self.leeway > seconds {
            throw .unauthenticated(reason: "token not valid yet")
        }
        if let issuer, payload.iss != issuer { throw .unauthenticated(reason: "token issuer is not accepted") }
        if let audience, !(payload.aud?.values.contains(audience) ?? false) {
            throw .unauthenticated(reason: "token audience is not accepted")
        }
        guard (1...Limits.maxUserIDBytes).contains(payload.sub.utf8.count),
            !payload.sub.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .unauthenticated(reason: "token sub must be 1 to \(Limits.maxUserIDBytes) bytes of UTF-8") }
        // The assistant's answers must be told apart from people's: nobody signs in as it.
        if payload.sub.isSameID(as: Principal.assistantID) {
            throw .unauthenticated(reason: "token sub \(Principal.assistantID) is reserved for the server")
        }
        guard let role = Role(rawValue: payload.role) else {
            throw .unauthenticated(reason: "token role must be buyer, seller, support or service")
        }
        return Principal(
            userID: payload.sub, role: role, name: payload.name,
            expiresAt: Self.expiry(payload.exp))
    }

    /// The latest expiry kept: the last millisecond of year 9999. A signed token may say
    /// `exp: 1e300`; converting that to milliseconds in an `Int64` would trap.
    static let latestExpirySeconds: Double = 253_402_300_799

    /// `exp` (seconds, any JSON number) as a timestamp, clamped to what a timestamp can hold.
    static func expiry(_ seconds: Double) -> Timestamp {
        let clamped = seconds.isNaN ? 0 : min(max(seconds, 0), latestExpirySeconds)
        return Timestamp(millisecondsSince1970: Int64((clamped * 1000).rounded(.down)))
    }

    private struct Header: Decodable {
        var alg: String?
    }

    private static func header(of token: String) -> Header? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Data(base64URLEncoded: String(parts[0])) else { return nil }
        return try? JSONDecoder().decode(Header.self, from: data)
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "\(key.stringValue) is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type"
        @unknown default: "not valid"
        }
    }
}
