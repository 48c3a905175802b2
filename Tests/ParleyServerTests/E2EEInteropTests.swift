import Crypto
import Foundation
import ParleyClient
import ParleyCore
import Testing

/// The Swift client's end-to-end encryption against Tests/E2EE/counterpart.py, an
/// implementation written from the contract alone with Python's `cryptography` (its own
/// HPKE, AES-GCM, ECDSA and HMAC): whatever one side seals, encrypts or signs, the other
/// opens, decrypts or verifies; a flipped byte is refused on each side. No server here.
@Suite struct E2EEInteropTests {
    static let conversationID = "c_0123456789abcdef"

    @Test func anEpochKeySealedBySwiftOpensInPython() async throws {
        let python = try await E2EECounterpart.start()
        defer { python.stop() }
        let device = try await python.device("py-phone")
        let keys = try device.record.verifiedKeys(userID: "buyer1")
        let epochKey = EpochKeySealer.newEpochKey()
        let sealed = try EpochKeySealer.seal(epochKey, to: keys.encryptionKey, conversationID: Self.conversationID, epoch: 3)
        #expect(sealed.count == 65 + 32 + 16, "enc ‖ ciphertext ‖ tag")

        let opened = try await python.call(
            "/open", ["deviceId": "py-phone", "conversationId": Self.conversationID, "epoch": 3, "sealed": sealed.base64URLEncodedString()])
        #expect(opened["key"] as? String == epochKey.withUnsafeBytes { Data($0) }.base64URLEncodedString())

        // Another epoch's or conversation's info, or one flipped byte anywhere, does not open.
        let refusals = [
            ["deviceId": "py-phone", "conversationId": Self.conversationID, "epoch": 4, "sealed": sealed.base64URLEncodedString()],
            ["deviceId": "py-phone", "conversationId": "c_other", "epoch": 3, "sealed": sealed.base64URLEncodedString()],
            ["deviceId": "py-phone", "conversationId": Self.conversationID, "epoch": 3,
             "sealed": Tamper.flip(sealed, byte: 70).base64URLEncodedString()],
            ["deviceId": "py-phone", "conversationId": Self.conversationID, "epoch": 3,
             "sealed": Tamper.flip(sealed, byte: -1).base64URLEncodedString()],
        ] as [[String: Any]]
        for body in refusals { #expect(try await python.refuses("/open", body)) }
    }

    @Test func anEpochKeySealedByPythonOpensInSwift() async throws {
        let python = try await E2EECounterpart.start()
        defer { python.stop() }
        let identity = DeviceIdentity(deviceID: "swift-phone")
        let epochKey = Data((0..<32).map { UInt8($0 * 7 & 0xff) })
        let answer = try await python.call(
            "/seal",
            ["encryptionKey": identity.encryptionKeyBytes.base64URLEncodedString(), "conversationId": Self.conversationID, "epoch": 1,
             "key": epochKey.base64URLEncodedString()])
        let sealedText = try #require(answer["sealed"] as? String)
        let sealed = try #require(Data(base64URLEncoded: sealedText))

        let opened = try EpochKeySealer.open(sealed, with: identity.agreementKey, conversationID: Self.conversationID, epoch: 1)
        #expect(opened.withUnsafeBytes { Data($0) } == epochKey)

        #expect(throws: E2EEError.self) {
            try EpochKeySealer.open(Tamper.flip(sealed, byte: 10), with: identity.agreementKey, conversationID: Self.conversationID, epoch: 1)
        }
        #expect(throws: E2EEError.self) {
            try EpochKeySealer.open(Tamper.flip(sealed, byte: -3), with: identity.agreementKey, conversationID: Self.conversationID, epoch: 1)
        }
        #expect(throws: E2EEError.self) {
            try EpochKeySealer.open(sealed, with: identity.agreementKey, conversationID: Self.conversationID, epoch: 2)
        }
        #expect(throws: E2EEError.self) {
            try EpochKeySealer.open(sealed, with: P256.KeyAgreement.PrivateKey(), conversationID: Self.conversationID, epoch: 1)
        }
    }

    @Test func aMessageEncryptedBySwiftDecryptsAndVerifiesInPython() async throws {
        let python = try await E2EECounterpart.start()
        defer { python.stop() }
        let identity = DeviceIdentity(deviceID: "swift-phone")
        let key = SymmetricKey(size: .bits256)
        let keyText = key.withUnsafeBytes { Data($0) }.base64URLEncodedString()
        let content = "¿Cuándo llega el envío? \"comillas\" / barra \u{1F4E6}"
        let envelope = try MessageCipher.encrypt(
            MessagePlaintext(content: content, franking: Franking.newKey()), epochKey: key, conversationID: Self.conversationID,
            epoch: 2, senderID: "seller1", clientMessageID: "cm-1", identity: identity)
        #expect(envelope.commitment != nil)
        var request: [String: Any] = [
            "key": keyText, "conversationId": Self.conversationID, "senderId": "seller1", "clientMessageId": "cm-1",
            "encrypted": try E2EECounterpart.json(envelope), "signingKey": identity.signingKeyBytes.base64URLEncodedString(),
        ]

        let decrypted = try await python.call("/decrypt", request)
        #expect(decrypted["content"] as? String == content)
        #expect(decrypted["franking"] is String, "the franking key travels inside the ciphertext")

        // Python refuses a flipped ciphertext byte, signature byte or nonce byte, another
        // sender, another message id, and a signature by another device.
        var tampered = envelope
        tampered.ciphertext = try Tamper.flip(envelope.ciphertext, byte: 5)
        request["encrypted"] = try E2EECounterpart.json(tampered)
        #expect(try await python.refuses("/decrypt", request))
        tampered = envelope
        tampered.signature = try Tamper.flip(envelope.signature, byte: 40)
        request["encrypted"] = try E2EECounterpart.json(tampered)
        #expect(try await python.refuses("/decrypt", request))
        tampered = envelope
        tampered.iv = try Tamper.flip(envelope.iv, byte: 0)
        request["encrypted"] = try E2EECounterpart.json(tampered)
        #expect(try await python.refuses("/decrypt", request))
        request["encrypted"] = try E2EECounterpart.json(envelope)
        request["senderId"] = "buyer1"
        #expect(try await python.refuses("/decrypt", request))
        request["senderId"] = "seller1"
        request["clientMessageId"] = "cm-2"
        #expect(try await python.refuses("/decrypt", request))
        request["clientMessageId"] = "cm-1"
        request["signingKey"] = DeviceIdentity(deviceID: "other").signingKeyBytes.base64URLEncodedString()
        #expect(try await python.refuses("/decrypt", request))
    }

    @Test func aMessageEncryptedByPythonDecryptsAndVerifiesInSwift() async throws {
        let python = try await E2EECounterpart.start()
        defer { python.stop() }
        let device = try await python.device("py-laptop")
        let sender = try device.record.verifiedKeys(userID: "buyer1")
        let key = SymmetricKey(size: .bits256)
        let content = "Hola, ¿sigue disponible? ñandú"
        let answer = try await python.call(
            "/encrypt",
            ["deviceId": "py-laptop", "key": key.withUnsafeBytes { Data($0) }.base64URLEncodedString(),
             "conversationId": Self.conversationID, "epoch": 5, "senderId": "buyer1", "clientMessageId": "py-1",
             "content": content, "franking": true])
        let envelope = try E2EECounterpart.envelope(answer["encrypted"])
        #expect(envelope.deviceID == "py-laptop" && envelope.epoch == 5)

        let plaintext = try MessageCipher.decrypt(
            envelope, epochKey: key, conversationID: Self.conversationID, senderID: "buyer1", clientMessageID: "py-1",
            senderSigningKey: sender.signingKey)
        #expect(plaintext.content == content)
        let franking = try #require(plaintext.franking)
        #expect(franking.count == 32)
        #expect(Franking.commitment(key: franking, content: content) == envelope.commitment)
        let pythonCommitment = try await python.call("/commitment", ["franking": franking.base64URLEncodedString(), "content": content])
        #expect(pythonCommitment["commitment"] as? String == envelope.commitment)

        func refused(_ envelope: EncryptedEnvelope, senderID: String = "buyer1", signingKey: P256.Signing.PublicKey? = nil) -> E2EEError? {
            do {
                _ = try MessageCipher.decrypt(
                    envelope, epochKey: key, conversationID: Self.conversationID, senderID: senderID, clientMessageID: "py-1",
                    senderSigningKey: signingKey ?? sender.signingKey)
                return nil
            } catch let error as E2EEError { return error } catch { return .openFailed("\(error)") }
        }
        var tampered = envelope
        tampered.ciphertext = try Tamper.flip(envelope.ciphertext, byte: -1)
        #expect(refused(tampered) == .badMessageSignature(messageID: nil), "the signature is checked before the tag")
        tampered = envelope
        tampered.signature = try Tamper.flip(envelope.signature, byte: 3)
        #expect(refused(tampered) == .badMessageSignature(messageID: nil))
        tampered = envelope
        tampered.epoch = 6
        #expect(refused(tampered) == .badMessageSignature(messageID: nil), "the epoch is in the signed additional data")
        #expect(refused(envelope, senderID: "seller1") == .badMessageSignature(messageID: nil))
        #expect(refused(envelope, signingKey: P256.Signing.PrivateKey().publicKey) == .badMessageSignature(messageID: nil))
        // A commitment that the franking key inside does not open is refused too.
        tampered = envelope
        tampered.commitment = Franking.commitment(key: franking, content: content + "!")
        #expect(refused(tampered) == .commitmentMismatch(messageID: nil))
    }

    @Test func deviceRecordsAndSafetyNumbersAgree() async throws {
        let python = try await E2EECounterpart.start()
        defer { python.stop() }
        // Python's device: Swift checks its signature and computes the same safety number.
        let device = try await python.device("py-tablet")
        let keys = try device.record.verifiedKeys(userID: "buyer1")
        #expect(keys.safetyNumber == device.safetyNumber)
        #expect(device.safetyNumber.split(separator: " ").map(\.count) == [5, 5, 5, 5, 5, 5])

        // Swift's registration: Python checks its signature and computes the same number.
        let identity = DeviceIdentity(deviceID: "swift-tablet")
        let registration = try identity.registration()
        let verified = try await python.call(
            "/verify-device",
            ["signingKey": registration.signingKey, "encryptionKey": registration.encryptionKey, "signature": registration.signature])
        #expect(verified["valid"] as? Bool == true)
        let safety = try await python.call(
            "/safety", ["signingKey": registration.signingKey, "encryptionKey": registration.encryptionKey])
        #expect(safety["safetyNumber"] as? String == identity.safetyNumber)

        // A record whose encryption key was swapped (a server putting its own key in) is
        // refused by both.
        let intruder = DeviceIdentity(deviceID: "intruder")
        let swapped = try await python.call(
            "/verify-device",
            ["signingKey": registration.signingKey, "encryptionKey": intruder.encryptionKeyBytes.base64URLEncodedString(),
             "signature": registration.signature])
        #expect(swapped["valid"] as? Bool == false)
        var forged = device.record
        forged.encryptionKey = intruder.encryptionKeyBytes.base64URLEncodedString()
        #expect(throws: E2EEError.badDeviceSignature(userID: "buyer1", deviceID: "py-tablet")) { try forged.verifiedKeys(userID: "buyer1") }
    }
}
