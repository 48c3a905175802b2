import Crypto
import Foundation
import JWTKit
import ParleyClient
import ParleyCore
import ParleyServer
import Testing
import _CryptoExtras

/// Tokens that must be refused, and the ones that must work; in process, through the
/// router (`RouterTestApplication`).
@Suite struct AuthenticationTests {
    struct Claims: JWTPayload {
        var sub: String
        var role: String
        var exp: Double?
        var iss: String?
        var aud: String?
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func hs256(_ claims: Claims, secret: String) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(claims)
    }

    static func inAnHour() -> Double { Date().timeIntervalSince1970 + 3600 }

    static func expectUnauthorized(
        _ app: RouterTestApplication.Client, token: String?, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let response = try await app.raw(.get, "/api/conversations", token: token)
        #expect(response.status == .unauthorized, sourceLocation: sourceLocation)
        #expect(response.errorCode == "unauthorized", sourceLocation: sourceLocation)
    }

    /// Options for a node that verifies tokens with `key`, `issuer` and `audience`.
    static func options(
        key: TokenVerifier.Key = .hmacSecret(TestServer.secret), issuer: String? = nil, audience: String? = nil
    )
        -> TestServer.Options
    {
        TestServer.Options(key: key, issuer: issuer, audience: audience)
    }

    @Test func missingMalformedAndForgedTokensGet401() async throws {
        try await RouterTestApplication.with { app in
            try await Self.expectUnauthorized(app, token: nil)
            try await Self.expectUnauthorized(app, token: "not-a-jwt")
            try await Self.expectUnauthorized(app, token: "a.b.c")
            let wrongKey = try await Self.hs256(
                Claims(sub: "u1", role: "buyer", exp: Self.inAnHour()), secret: String(repeating: "k", count: 40))
            try await Self.expectUnauthorized(app, token: wrongKey)
            let header = try await app.raw(.get, "/api/conversations", headers: [("Authorization", "Basic dXNlcjpwYXNz")])
            #expect(header.status == .unauthorized)
        }
    }

    @Test func algNoneIsRefused() async throws {
        try await RouterTestApplication.with { app in
            let header = Self.base64URL(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))
            let payload = Self.base64URL(Data(#"{"sub":"u1","role":"support","exp":\#(Int(Self.inAnHour()))}"#.utf8))
            try await Self.expectUnauthorized(app, token: "\(header).\(payload).")
        }
    }

    @Test func expiredAndExpLessTokensAreRefused() async throws {
        try await RouterTestApplication.with { app in
            let expired = try await Self.hs256(
                Claims(sub: "u1", role: "buyer", exp: Date().timeIntervalSince1970 - 120), secret: TestServer.secret)
            try await Self.expectUnauthorized(app, token: expired)
            let noExpiry = try await Self.hs256(Claims(sub: "u1", role: "buyer", exp: nil), secret: TestServer.secret)
            try await Self.expectUnauthorized(app, token: noExpiry)
            let badRole = try await Self.hs256(Claims(sub: "u1", role: "admin", exp: Self.inAnHour()), secret: TestServer.secret)
            try await Self.expectUnauthorized(app, token: badRole)
            let emptySubject = try await Self.hs256(Claims(sub: "", role: "buyer", exp: Self.inAnHour()), secret: TestServer.secret)
            try await Self.expectUnauthorized(app, token: emptySubject)
            let good = try await Self.hs256(Claims(sub: "u1", role: "buyer", exp: Self.inAnHour()), secret: TestServer.secret)
            #expect(try await app.raw(.get, "/api/conversations", token: good).status == .ok)
        }
    }

    @Test func issuerAndAudienceAreCheckedWhenConfigured() async throws {
        try await RouterTestApplication.with(options: Self.options(issuer: "https://shop.example", audience: "parley")) { app in
            let right = try await Self.hs256(
                Claims(sub: "u1", role: "buyer", exp: Self.inAnHour(), iss: "https://shop.example", aud: "parley"),
                secret: TestServer.secret)
            #expect(try await app.raw(.get, "/api/conversations", token: right).status == .ok)
            let wrongAudience = try await Self.hs256(
                Claims(sub: "u1", role: "buyer", exp: Self.inAnHour(), iss: "https://shop.example", aud: "other"),
                secret: TestServer.secret)
            try await Self.expectUnauthorized(app, token: wrongAudience)
            let wrongIssuer = try await Self.hs256(
                Claims(sub: "u1", role: "buyer", exp: Self.inAnHour(), iss: "https://evil.example", aud: "parley"),
                secret: TestServer.secret)
            try await Self.expectUnauthorized(app, token: wrongIssuer)
            let noAudience = try await Self.hs256(
                Claims(sub: "u1", role: "buyer", exp: Self.inAnHour(), iss: "https://shop.example"), secret: TestServer.secret)
            try await Self.expectUnauthorized(app, token: noAudience)
        }
    }

    @Test func es256KeysWorkAndAlgorithmConfusionIsRefused() async throws {
        let privateKey = ES256PrivateKey()
        let publicPEM = try privateKey.publicKey.pemRepresentation
        try await RouterTestApplication.with(options: Self.options(key: .publicKeyPEM(publicPEM))) { app in
            let keys = JWTKeyCollection()
            await keys.add(ecdsa: privateKey)
            let good = try await keys.sign(Claims(sub: "u1", role: "seller", exp: Self.inAnHour()))
            #expect(try await app.raw(.get, "/api/conversations", token: good).status == .ok)
            // An HS256 token "signed" with the public key's PEM text as the HMAC secret.
            let confused = try await Self.hs256(Claims(sub: "u1", role: "support", exp: Self.inAnHour()), secret: publicPEM)
            try await Self.expectUnauthorized(app, token: confused)
            let otherKey = JWTKeyCollection()
            await otherKey.add(ecdsa: ES256PrivateKey())
            let forged = try await otherKey.sign(Claims(sub: "u1", role: "seller", exp: Self.inAnHour()))
            try await Self.expectUnauthorized(app, token: forged)
        }
    }

    @Test func rs256KeysWork() async throws {
        let privateKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let rsaPrivate = try Insecure.RSA.PrivateKey(pem: privateKey.pemRepresentation)
        let publicPEM = privateKey.publicKey.pemRepresentation
        try await RouterTestApplication.with(options: Self.options(key: .publicKeyPEM(publicPEM))) { app in
            let keys = JWTKeyCollection()
            await keys.add(rsa: rsaPrivate, digestAlgorithm: .sha256)
            let good = try await keys.sign(Claims(sub: "u1", role: "buyer", exp: Self.inAnHour()))
            #expect(try await app.raw(.get, "/api/conversations", token: good).status == .ok)
        }
    }

    @Test func shortSecretsAreRefusedAtStart() async throws {
        await #expect(throws: ConfigurationError.self) { _ = try await TokenVerifier(key: .hmacSecret("short")) }
    }
}
