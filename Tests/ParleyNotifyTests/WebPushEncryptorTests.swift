import Crypto
import Foundation
import ParleyCore
import Testing

@testable import ParleyNotify

/// RFC 8291's worked example and the encryptor's refusals; the cross-check with an
/// independent decryptor (http_ece) is in `PushServiceTests`.
@Suite struct WebPushEncryptorTests {
    // RFC 8291 §5 (Push Message Encryption Example), unpadded base64url as printed there.
    static let plaintext = "When I grow up, I want to be a watermelon"
    static let applicationServerPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
    static let applicationServerPublic = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
    static let userAgentPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
    static let userAgentPublic = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
    static let salt = "DGv6ra1nlYgDCS1FRnbzlw"
    static let authSecret = "BTBZMqHH6r4Tts7J_aSIgg"
    static let body =
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"

    static func bytes(_ text: String) -> Data { Data(base64URLEncoded: text)! }

    @Test func rfc8291ExampleGivesTheExactBody() throws {
        let senderKey = try P256.KeyAgreement.PrivateKey(rawRepresentation: Self.bytes(Self.applicationServerPrivate))
        #expect(senderKey.publicKey.x963Representation.base64URLEncodedString() == Self.applicationServerPublic)
        let body = try WebPushEncryptor(padding: .none).encrypt(
            Array(Self.plaintext.utf8), p256dh: Self.userAgentPublic, auth: Self.authSecret, senderKey: senderKey,
            salt: Self.bytes(Self.salt))
        #expect(Data(body).base64URLEncodedString() == Self.body)
    }

    @Test func rfc8291ExampleDecryptsWithTheUserAgentKey() throws {
        // The receiving side written out independently of the encryptor: ECDH from the
        // browser's side, the same derivations, AES-GCM open.
        let receiver = try P256.KeyAgreement.PrivateKey(rawRepresentation: Self.bytes(Self.userAgentPrivate))
        let body = Self.bytes(Self.body)
        let salt = body.prefix(16)
        let recordSize = body.dropFirst(16).prefix(4).reduce(0) { $0 << 8 | Int($1) }
        #expect(recordSize == 4096)
        #expect(body[body.startIndex + 20] == 65)
        let senderPublic = body.dropFirst(21).prefix(65)
        let sender = try P256.KeyAgreement.PublicKey(x963Representation: senderPublic)
        let secret = try receiver.sharedSecretFromKeyAgreement(with: sender)
        let info = Data("WebPush: info\u{0}".utf8) + receiver.publicKey.x963Representation + senderPublic
        let ikm = secret.hkdfDerivedSymmetricKey(using: SHA256.self, salt: Self.bytes(Self.authSecret), sharedInfo: info, outputByteCount: 32)
        let key = HKDF<SHA256>.deriveKey(inputKeyMaterial: ikm, salt: salt, info: Data("Content-Encoding: aes128gcm\u{0}".utf8), outputByteCount: 16)
        let nonce = HKDF<SHA256>.deriveKey(inputKeyMaterial: ikm, salt: salt, info: Data("Content-Encoding: nonce\u{0}".utf8), outputByteCount: 12)
        let record = body.dropFirst(86)
        let box = try AES.GCM.SealedBox(
            nonce: AES.GCM.Nonce(data: nonce.withUnsafeBytes { Data($0) }), ciphertext: record.dropLast(16), tag: record.suffix(16))
        let opened = try AES.GCM.open(box, using: key)
        #expect(opened == Data(Self.plaintext.utf8) + [0x02])
    }

    @Test func paddingRoundsUpToTheBucket() throws {
        let subscriber = P256.KeyAgreement.PrivateKey()
        let p256dh = subscriber.publicKey.x963Representation.base64URLEncodedString()
        let auth = Data(repeating: 7, count: 16).base64URLEncodedString()
        let header = 16 + 4 + 1 + 65
        let tag = 16
        for (payloadSize, padded) in [(0, 256), (255, 256), (256, 512), (1000, 1024), (WebPushEncryptor.maximumPayloadSize, 2048)] {
            let body = try WebPushEncryptor().encrypt([UInt8](repeating: 0x41, count: payloadSize), p256dh: p256dh, auth: auth)
            #expect(body.count == header + padded + tag, "payload of \(payloadSize) bytes")
        }
    }

    @Test func eachMessageHasItsOwnSaltAndKey() throws {
        let p256dh = P256.KeyAgreement.PrivateKey().publicKey.x963Representation.base64URLEncodedString()
        let auth = Data(repeating: 1, count: 16).base64URLEncodedString()
        let first = try WebPushEncryptor().encrypt(Array("hello".utf8), p256dh: p256dh, auth: auth)
        let second = try WebPushEncryptor().encrypt(Array("hello".utf8), p256dh: p256dh, auth: auth)
        #expect(first.prefix(16) != second.prefix(16))
        #expect(first[21..<86] != second[21..<86])
    }

    @Test func refusesAPayloadOverTheLimit() throws {
        let p256dh = P256.KeyAgreement.PrivateKey().publicKey.x963Representation.base64URLEncodedString()
        let auth = Data(repeating: 1, count: 16).base64URLEncodedString()
        #expect(throws: WebPushEncryptor.Failure.payloadTooLarge(size: 2048, limit: 2047)) {
            try WebPushEncryptor().encrypt([UInt8](repeating: 0, count: 2048), p256dh: p256dh, auth: auth)
        }
    }

    @Test func refusesKeysThatAreNotAnUncompressedP256Point() throws {
        let auth = Data(repeating: 1, count: 16).base64URLEncodedString()
        let point = P256.KeyAgreement.PrivateKey().publicKey
        var offCurve = point.x963Representation
        offCurve[64] ^= 0x01
        let refused = [
            "not base64url!": "not base64url",
            point.compressedRepresentation.base64URLEncodedString(): "65-byte",
            Data(repeating: 4, count: 65).base64URLEncodedString(): "not a point",
            offCurve.base64URLEncodedString(): "not a point",
        ]
        for (p256dh, reason) in refused {
            do {
                _ = try WebPushEncryptor().encrypt(Array("x".utf8), p256dh: p256dh, auth: auth)
                Issue.record("accepted p256dh \(p256dh)")
            } catch let failure as WebPushEncryptor.Failure {
                #expect(failure.description.hasPrefix("invalid p256dh"), "\(failure)")
                #expect(failure.description.contains(reason), "\(failure)")
            }
        }
    }

    @Test func refusesAnAuthSecretThatIsNot16Bytes() throws {
        let p256dh = P256.KeyAgreement.PrivateKey().publicKey.x963Representation.base64URLEncodedString()
        for auth in [Data(count: 15), Data(count: 17), Data()].map({ $0.base64URLEncodedString() }) + ["%%%"] {
            do {
                _ = try WebPushEncryptor().encrypt(Array("x".utf8), p256dh: p256dh, auth: auth)
                Issue.record("accepted auth \(auth)")
            } catch let failure as WebPushEncryptor.Failure {
                #expect(failure.description.hasPrefix("invalid auth"), "\(failure)")
            }
        }
    }
}
