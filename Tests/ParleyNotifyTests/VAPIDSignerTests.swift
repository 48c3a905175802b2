import Crypto
import Foundation
import JWTKit
import ParleyCore
import Testing

@testable import ParleyNotify

/// The VAPID header: its key formats, its JWT (checked here with jwt-kit, and by PyJWT in
/// `PushServiceTests`), the audience and the token cache.
@Suite struct VAPIDSignerTests {
    static let now = Timestamp(millisecondsSince1970: 1_796_000_000_123)

    /// The claims as a verifier reads them; `exp` must decode as an integer.
    struct Claims: JWTPayload {
        var aud: String
        var exp: Int64
        var sub: String
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static func parts(of header: String) throws -> (token: String, key: String) {
        let pattern = /^vapid t=([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+), k=([A-Za-z0-9_\-]+)$/
        let match = try #require(header.wholeMatch(of: pattern))
        return (String(match.1), String(match.2))
    }

    @Test func headerCarriesAnES256TokenThatJWTKitVerifies() async throws {
        let signer = try VAPIDSigner.generate(subject: "mailto:ops@example.com")
        let header = try signer.authorization(for: "https://push.example.net/wpush/v2/abc?x=1", now: Self.now)
        let (token, key) = try Self.parts(of: header)
        #expect(key == signer.publicKey)
        let point = try #require(Data(base64URLEncoded: key))
        #expect(point.count == 65 && point.first == 0x04)

        let keys = await JWTKeyCollection().add(ecdsa: try ES256PublicKey(backing: P256.Signing.PublicKey(x963Representation: point)))
        let claims = try await keys.verify(token, as: Claims.self)
        #expect(claims.aud == "https://push.example.net")
        #expect(claims.sub == "mailto:ops@example.com")
        #expect(claims.exp == Self.now.millisecondsSince1970 / 1000 + 12 * 3600)

        // The raw JSON: an integer exp (no fraction), and the ES256 header.
        let segments = token.split(separator: ".").map(String.init)
        let payload = try #require(Data(base64URLEncoded: segments[1]))
        let json = String(decoding: payload, as: UTF8.self)
        #expect(json.contains("\"exp\":\(claims.exp)}") || json.contains("\"exp\":\(claims.exp),"), "\(json)")
        let headerJSON = try #require(Data(base64URLEncoded: segments[0]))
        let head = try #require(JSONSerialization.jsonObject(with: headerJSON) as? [String: String])
        #expect(head == ["alg": "ES256", "typ": "JWT"])
    }

    @Test func aTokenFromAnotherKeyDoesNotVerify() async throws {
        let signer = try VAPIDSigner.generate(subject: "mailto:ops@example.com")
        let other = P256.Signing.PrivateKey()
        let (token, _) = try Self.parts(of: try signer.authorization(for: "https://push.example.net/x", now: Self.now))
        let keys = await JWTKeyCollection().add(ecdsa: try ES256PublicKey(backing: other.publicKey))
        await #expect(throws: (any Error).self) { try await keys.verify(token, as: Claims.self) }
    }

    @Test func audienceIsTheOriginWithoutDefaultPortOrPath() throws {
        let cases = [
            "https://fcm.googleapis.com/fcm/send/abc:def": "https://fcm.googleapis.com",
            "https://Updates.Push.Services.Mozilla.com:443/wpush/v2/x": "https://updates.push.services.mozilla.com",
            "https://push.example.net:8443/a/b/": "https://push.example.net:8443",
            "http://127.0.0.1:8080/push/1": "http://127.0.0.1:8080",
            "http://localhost:80/p": "http://localhost",
            "https://[2001:db8::1]:9000/p": "https://[2001:db8::1]:9000",
        ]
        for (endpoint, origin) in cases {
            #expect(try VAPIDSigner.audience(of: URL(string: endpoint)!) == origin, "\(endpoint)")
        }
        #expect(throws: VAPIDSigner.Failure.self) { try VAPIDSigner.audience(of: URL(string: "mailto:x@y")!) }
    }

    @Test func tokenIsReusedForAnOriginUntilAnHourBeforeItExpires() throws {
        let signer = try VAPIDSigner.generate(subject: "https://example.com/contact")
        let first = try signer.authorization(for: "https://push.example.net/a", now: Self.now)
        // Same origin, other path, 10 h later: the same token.
        let later = Timestamp(millisecondsSince1970: Self.now.millisecondsSince1970 + 10 * 3_600_000)
        #expect(try signer.authorization(for: "https://push.example.net/b", now: later) == first)
        // Another origin: its own token.
        #expect(try signer.authorization(for: "https://other.example.net/a", now: Self.now) != first)
        // 11 h 30 min later, within the hour before exp: a new one.
        let late = Timestamp(millisecondsSince1970: Self.now.millisecondsSince1970 + 41_400_000)
        let renewed = try signer.authorization(for: "https://push.example.net/a", now: late)
        #expect(renewed != first)
        let (token, _) = try Self.parts(of: renewed)
        let payload = try #require(Data(base64URLEncoded: String(token.split(separator: ".")[1])))
        let claims = try JSONDecoder().decode(Claims.self, from: payload)
        #expect(claims.exp == late.millisecondsSince1970 / 1000 + 12 * 3600)
    }

    @Test func readsPKCS8AndSEC1PEM() throws {
        let key = P256.Signing.PrivateKey()
        let fromPKCS8 = try VAPIDSigner(pem: key.pemRepresentation, subject: "mailto:a@b.c")
        #expect(key.pemRepresentation.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(fromPKCS8.publicKey == key.publicKey.x963Representation.base64URLEncodedString())

        // SEC 1 ECPrivateKey (RFC 5915), DER written out by hand: version 1, the 32-byte
        // scalar, [0] prime256v1, [1] the public point.
        var der: [UInt8] = [0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20] + Array(key.rawRepresentation)
        der += [0xA0, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
        der += [0xA1, 0x44, 0x03, 0x42, 0x00] + Array(key.publicKey.x963Representation)
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        let sec1 = "-----BEGIN EC PRIVATE KEY-----\n\(base64)\n-----END EC PRIVATE KEY-----\n"
        let fromSEC1 = try VAPIDSigner(pem: sec1, subject: "mailto:a@b.c")
        #expect(fromSEC1.publicKey == fromPKCS8.publicKey)

        // What --dev writes is read back as the same key.
        let generated = try VAPIDSigner.generate(subject: "mailto:a@b.c")
        #expect(try VAPIDSigner(pem: generated.pemRepresentation, subject: "mailto:a@b.c").publicKey == generated.publicKey)
    }

    @Test func refusesOtherKeysAndSubjects() throws {
        #expect(throws: VAPIDSigner.Failure.self) { try VAPIDSigner(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", subject: "mailto:a@b.c") }
        let p384 = P384.Signing.PrivateKey().pemRepresentation
        #expect(throws: VAPIDSigner.Failure.self) { try VAPIDSigner(pem: p384, subject: "mailto:a@b.c") }
        #expect(throws: VAPIDSigner.Failure.invalidSubject("ops@example.com")) {
            try VAPIDSigner.generate(subject: "ops@example.com")
        }
    }
}
