import Crypto
import _CryptoExtras
import Foundation
import JWTKit
import ParleyClient
import ParleyCore
import ParleyServer
import Testing

/// Tokens that must be refused, and the ones that must work.
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

    static func expectUnauthorized(_ server: TestServer, token: String?, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await server.anonymous(token: token).raw(.GET, "/api/conversations")
        #expect(response.status == 401, sourceLocation: sourceLocation)
        #expect(response.error?.error.code == "unauthorized", sourceLocation: sourceLocation)
    }

    @Test func missingMalformedAndForgedTokensGet401() async throws {
        try await TestServer.with { server in
            try await Self.expectUnauthorized(server, token: nil)
            try await Self.expectUnauthorized(server, token: "not-a-jwt")
            try await Self.expectUnauthorized(server, token: "a.b.c")
            let wrongKey = try await Self.hs256(
                Claims(sub: "u1", role: "buyer", exp: Self.inAnHour()), secret: String(repeating: "k", count: 40))
            try await Self.expectUnauthorized(server, token: wrongKey)
            let header = try await server.anonymous().raw(
                .GET, "/api/conversations", headers: [("Authorization", "Basic dXNlcjpwYXNz")])
            #expect(header.status == 401)
        }
    }

    @Test func algNoneIsRefused() async throws {
        try await TestServer.with { server in
            let header = Self.base64URL(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))
            let payload = Self.base64URL(Data(#"{"sub":"u1","role":"support","exp":\#(Int(Self.inAnHour()))}"#.utf8))
            try await Self.expectUnauthorized(server, token: "\(header).\(payload).")
        }
    }

    @Test func expiredAndExpLessTokensAreRefused() async throws {
        try await TestServer.with { server in
            let expired = try await Self.hs256(
                Claims(sub: "u1", role: "buyer", exp: Date().timeIntervalSince1970 - 120), secret: TestServer.secret)
            try await Self.expectUnauthorized(server, token: expired)
            let noExpiry = try await Self.hs256(Claims(sub: "u1", role: "buyer", exp: nil), secret: TestServer.secret)
            try await Self.expectUnauthorized(server, token: noExpiry)
            let badRole = try await Self.hs256(Claims(sub: "u1", role: "admin", exp: Self.inAnHour()), secret: TestServer.secret)
            try await Self.expectUnauthorized(server, token: badRole)
            let emptySubject = try await Self.hs256(Claims(sub: "", role: "buyer", exp: Self.inAnHour()), secret: TestServer.secret)
            try await Self.expectUnauthorized(server, token: emptySubject)
            let good = try await Self.hs256(Claims(sub: "u1", role: "buyer", exp: Self.inAnHour()), secret: TestServer.secret)
            #expect(try await server.anonymous(token: good).raw(.GET, "/api/conversations").status == 200)
        }
    }

    @Test func issuerAndAudienceAreCheckedWhenConfigured() async throws {
        try await TestServer.with(issuer: "https://shop.example", audience: "parley") { server in
            let right = try await Self.hs256(
                Claims(sub: "u1", role: "buyer", exp: Self.inAnHour(), iss: "https://shop.example", aud: "parley"),
                secret: TestServer.secret)
            #expect(try await server.anonymous(token: right).raw(.GET, "/api/conversations").status == 200)
            let wrongAudience = try await Self.hs256(
                Claims(sub: "u1", role: "buyer", exp: Self.inAnHour(), iss: "https://shop.example", aud: "other"),
                secret: TestServer.secret)
            try await Self.expectUnauthorized(server, token: wrongAudience)
            let wrongIssuer = try await Self.hs256(
                Claims(sub: "u1", role: "buyer", exp: Self.inAnHour(), iss: "https://evil.example", aud: "parley"),
                secret: TestServer.secret)
            try await Self.expectUnauthorized(server, token: wrongIssuer)
            let noAudience = try await Self.hs256(
                Claims(sub: "u1", role: "buyer", exp: Self.inAnHour(), iss: "https://shop.example"), secret: TestServer.secret)
            try await Self.expectUnauthorized(server, token: noAudience)
        }
    }

    @Test func es256KeysWorkAndAlgorithmConfusionIsRefused() async throws {
        let privateKey = ES256PrivateKey()
        let publicPEM = try privateKey.publicKey.pemRepresentation
        try await TestServer.with(key: .publicKeyPEM(publicPEM)) { server in
            let keys = JWTKeyCollection()
            await keys.add(ecdsa: privateKey)
            let good = try await keys.sign(Claims(sub: "u1", role: "seller", exp: Self.inAnHour()))
            #expect(try await server.anonymous(token: good).raw(.GET, "/api/conversations").status == 200)
            // An HS256 token "signed" with the public key's PEM text as the HMAC secret.
            let confused = try await Self.hs256(Claims(sub: "u1", role: "support", exp: Self.inAnHour()), secret: publicPEM)
            try await Self.expectUnauthorized(server, token: confused)
            let otherKey = JWTKeyCollection()
            await otherKey.add(ecdsa: ES256PrivateKey())
            let forged = try await otherKey.sign(Claims(sub: "u1", role: "seller", exp: Self.inAnHour()))
            try await Self.expectUnauthorized(server, token: forged)
        }
    }

    @Test func rs256KeysWork() async throws {
        let privateKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let rsaPrivate = try Insecure.RSA.PrivateKey(pem: privateKey.pemRepresentation)
        let publicPEM = privateKey.publicKey.pemRepresentation
        try await TestServer.with(key: .publicKeyPEM(publicPEM)) { server in
            let keys = JWTKeyCollection()
            await keys.add(rsa: rsaPrivate, digestAlgorithm: .sha256)
            let good = try await keys.sign(Claims(sub: "u1", role: "buyer", exp: Self.inAnHour()))
            #expect(try await server.anonymous(token: good).raw(.GET, "/api/conversations").status == 200)
        }
    }

    @Test func shortSecretsAreRefusedAtStart() async throws {
        await #expect(throws: ConfigurationError.self) { _ = try await TokenVerifier(key: .hmacSecret("short")) }
    }
}
