import Foundation
import JWTKit
import ParleyCore

/// Signs HS256 tokens with the configured secret: for `parley token`, `--dev` and tests.
public struct TokenSigner: Sendable {
    private let keys: JWTKeyCollection

    public init(secret: String) async throws {
        guard secret.utf8.count >= TokenVerifier.minimumSecretBytes else {
            throw ConfigurationError("the JWT secret must be at least \(TokenVerifier.minimumSecretBytes) bytes long")
        }
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
    }

    public func sign(
        userID: String, role: Role, name: String? = nil, timeToLive: TimeInterval = 3600, issuer: String? = nil,
        audience: String? = nil, now: Date = Date()
    ) async throws -> String {
        let payload = TokenPayload(
            sub: userID, role: role.rawValue, name: name, exp: (now.timeIntervalSince1970 + timeToLive).rounded(.down),
            nbf: nil, iat: now.timeIntervalSince1970.rounded(.down), iss: issuer, aud: audience.map { .init([$0]) })
        return try await keys.sign(payload)
    }
}
