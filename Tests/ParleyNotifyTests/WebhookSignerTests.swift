import Crypto
import Foundation
import Testing

@testable import ParleyNotify

/// Standard Webhooks signatures, computed here from their definition; the cross-check
/// with the `standardwebhooks` package is in `WebhookReceiverTests`.
@Suite struct WebhookSignerTests {
    @Test func signatureIsHMACOfIdTimestampAndBodyWithTheDecodedSecret() throws {
        let key = Data((0..<32).map { UInt8($0) })
        let secret = "whsec_" + key.base64EncodedString()
        let body = Array(#"{"type":"message.created"}"#.utf8)
        let signature = try WebhookSigner.signature(id: "ob_1", timestamp: "1796000000", body: body, secrets: [secret])
        let expected = HMAC<SHA256>.authenticationCode(
            for: Data("ob_1.1796000000.".utf8) + body, using: SymmetricKey(data: key))
        #expect(signature == "v1," + Data(expected).base64EncodedString())
    }

    @Test func twoSecretsGiveTwoSpaceSeparatedSignaturesInOrder() throws {
        let first = WebhookSigner.newSecret()
        let second = WebhookSigner.newSecret()
        let body = Array("{}".utf8)
        let both = try WebhookSigner.signature(id: "a", timestamp: "1", body: body, secrets: [first, second])
        let one = try WebhookSigner.signature(id: "a", timestamp: "1", body: body, secrets: [first])
        let other = try WebhookSigner.signature(id: "a", timestamp: "1", body: body, secrets: [second])
        #expect(both == one + " " + other)
        #expect(one != other)
    }

    @Test func newSecretsAreWhsecAnd32RandomBytes() throws {
        let secrets = (0..<20).map { _ in WebhookSigner.newSecret() }
        #expect(Set(secrets).count == secrets.count)
        for secret in secrets {
            #expect(secret.hasPrefix("whsec_"))
            #expect(Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
        }
    }

    @Test func refusesASecretThatIsNotBase64() {
        #expect(throws: WebhookSigner.Failure.self) {
            try WebhookSigner.signature(id: "a", timestamp: "1", body: [], secrets: ["whsec_not base64!"])
        }
        #expect(throws: WebhookSigner.Failure.self) {
            try WebhookSigner.signature(id: "a", timestamp: "1", body: [], secrets: ["whsec_"])
        }
    }
}
