import Crypto
import Foundation
import ParleyClient
import ParleyCore
import Testing

/// The Swift client's end-to-end encryption on its own: HPKE against RFC 9180's published
/// vector, the identity file, the safety number's recipe, the key store's trust rules.
@Suite struct E2EEClientTests {
    /// RFC 9180, Appendix A.3.1 (DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base
    /// mode), the first encryption (sequence number 0), copied from the vectors file that
    /// ships with swift-crypto 4.5.2 (Tests/CryptoTests/HPKE/hpke-test-vectors.json: mode 0,
    /// kem_id 16, kdf_id 1, aead_id 1). Hex.
    enum RFC9180A3 {
        static let info = "4f6465206f6e2061204772656369616e2055726e"  // "Ode on a Grecian Urn"
        static let skRm = "f3ce7fdae57e1a310d87f1ebbde6f328be0a99cdbcadf4d6589cf29de4b8ffd2"
        static let pkRm =
            "04fe8c19ce0905191ebc298a9245792531f26f0cece2460639e8bc39cb7f706a826a779b4cf969b8a0e539c7f62fb3d30ad6aa8f80e30f1d128aafd68a2ce72ea0"
        static let enc =
            "04a92719c6195d5085104f469a8b9814d5838ff72b60501e2c4466e5e67b325ac98536d7b61a1af4b78e5b7f951c0900be863c403ce65c9bfcb9382657222d18c4"
        static let aad = "436f756e742d30"  // "Count-0"
        static let pt = "4265617574792069732074727574682c20747275746820626561757479"  // "Beauty is truth, truth beauty"
        static let ct = "5ad590bb8baa577f8619db35a36311226a896e7342a6d836d8b7bcd2f20b6c7f9076ac232e3ab2523f39513434"
    }

    static func hex(_ text: String) -> Data {
        var bytes = Data()
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    @Test func theRFC9180P256AES128VectorOpensWithTheClientsSealer() throws {
        let privateKey = try P256.KeyAgreement.PrivateKey(rawRepresentation: Self.hex(RFC9180A3.skRm))
        #expect(privateKey.publicKey.x963Representation == Self.hex(RFC9180A3.pkRm))
        let sealed = Self.hex(RFC9180A3.enc) + Self.hex(RFC9180A3.ct)

        let opened = try EpochKeySealer.open(
            sealed, with: privateKey, info: Self.hex(RFC9180A3.info), authenticating: Self.hex(RFC9180A3.aad))
        #expect(opened == Self.hex(RFC9180A3.pt))

        // The same bytes under other additional data or info are refused.
        #expect(throws: E2EEError.self) {
            try EpochKeySealer.open(sealed, with: privateKey, info: Self.hex(RFC9180A3.info), authenticating: Data())
        }
        #expect(throws: E2EEError.self) {
            try EpochKeySealer.open(sealed, with: privateKey, info: Data("parley".utf8), authenticating: Self.hex(RFC9180A3.aad))
        }
    }

    @Test func anEpochKeySealsTo113BytesAndOpensOnlyForItsEpoch() throws {
        let identity = DeviceIdentity(deviceID: "d1")
        let key = EpochKeySealer.newEpochKey()
        let sealed = try EpochKeySealer.seal(key, to: identity.agreementKey.publicKey, conversationID: "c1", epoch: 7)
        #expect(sealed.count == 113)
        let opened = try EpochKeySealer.open(sealed, with: identity.agreementKey, conversationID: "c1", epoch: 7)
        #expect(opened == key)
        #expect(throws: E2EEError.self) { try EpochKeySealer.open(sealed, with: identity.agreementKey, conversationID: "c1", epoch: 8) }
        #expect(EpochKeySealer.info(conversationID: "c1", epoch: 7) == Data("parley-e2ee-v1|c1|7".utf8))
    }

    @Test func theSafetyNumberFollowsItsRecipe() {
        // Expected value from Python's hashlib for the same bytes (the recipe in SafetyNumber's doc).
        let signing = Data([4] + [UInt8](repeating: 1, count: 64))
        let encryption = Data([4] + [UInt8](repeating: 2, count: 64))
        #expect(SafetyNumber.of(signingKey: signing, encryptionKey: encryption) == "57194 87803 96550 99671 50883 15165")
        #expect(SafetyNumber.of(signingKey: encryption, encryptionKey: signing) != "57194 87803 96550 99671 50883 15165")
    }

    @Test func theAdditionalDataIsTheContractsText() {
        let data = MessageCipher.additionalData(conversationID: "c1", epoch: 2, senderID: "u1", deviceID: "d1", clientMessageID: "m1")
        #expect(data == Data("c1|2|u1|d1|m1".utf8))
    }

    @Test func anIdentitySavedIsReadableByItsOwnerOnlyAndLoadsTheSameKeys() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-identity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("device.json").path
        let identity = DeviceIdentity(deviceID: "phone-1")

        try identity.save(to: path)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber).intValue
        #expect(mode & 0o777 == 0o600)
        let loaded = try DeviceIdentity.load(from: path)
        #expect(loaded.deviceID == "phone-1")
        #expect(loaded.signingKeyBytes == identity.signingKeyBytes && loaded.encryptionKeyBytes == identity.encryptionKeyBytes)
        #expect(loaded.safetyNumber == identity.safetyNumber)
        // Only the file named was written: no temporary left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["device.json"])

        try Data("{\"deviceId\": \"x\"}".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: E2EEError.self) { try DeviceIdentity.load(from: path) }
    }

    @Test func aChangedDeviceKeyIsReportedAndNotTrustedUntilAccepted() async throws {
        let store = DeviceKeyStore()
        let first = DeviceIdentity(deviceID: "phone").publicKeys(userID: "seller1")
        let replaced = DeviceIdentity(deviceID: "phone").publicKeys(userID: "seller1")

        #expect(await store.observe(first) == .firstSeen)
        #expect(await store.observe(first) == .unchanged)
        let observation = await store.observe(replaced)
        let change = DeviceKeyChange(
            userID: "seller1", deviceID: "phone", previousSafetyNumber: first.safetyNumber, newSafetyNumber: replaced.safetyNumber)
        #expect(observation == .changed(change))
        #expect(await store.pendingChanges == [change])
        // Still the first keys until the user accepts the number they compared.
        #expect(await store.trustedKeys(userID: "seller1", deviceID: "phone")?.sameKeys(as: first) == true)
        #expect(await store.acceptChange(userID: "seller1", deviceID: "phone", newSafetyNumber: first.safetyNumber) == false)
        #expect(await store.acceptChange(userID: "seller1", deviceID: "phone", newSafetyNumber: replaced.safetyNumber))
        #expect(await store.trustedKeys(userID: "seller1", deviceID: "phone")?.sameKeys(as: replaced) == true)
        #expect(await store.pendingChanges.isEmpty)
    }

    @Test func aSavedKeyStoreStillSeesAChangeMadeWhileItWasClosed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-keystore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("known-devices.json").path
        let first = DeviceIdentity(deviceID: "phone").publicKeys(userID: "seller1")
        let store = DeviceKeyStore()
        await store.observe(first)
        try await store.save(to: path)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber).intValue
        #expect(mode & 0o777 == 0o600)

        let reopened = try DeviceKeyStore(loadingFrom: path)
        #expect(await reopened.trustedKeys(userID: "seller1", deviceID: "phone")?.sameKeys(as: first) == true)
        #expect(await reopened.observe(first) == .unchanged)
        let replaced = DeviceIdentity(deviceID: "phone").publicKeys(userID: "seller1")
        guard case .changed = await reopened.observe(replaced) else {
            Issue.record("a key changed since the store was saved must be a change")
            return
        }
        // The pending change survives a save too.
        try await reopened.save(to: path)
        #expect(try await DeviceKeyStore(loadingFrom: path).pendingChanges.map(\.newSafetyNumber) == [replaced.safetyNumber])
    }

    @Test func aDecryptedPlaintextMustBeTheContractsObject() throws {
        let identity = DeviceIdentity(deviceID: "d1")
        let key = SymmetricKey(size: .bits256)
        let envelope = try MessageCipher.encrypt(
            MessagePlaintext(content: "hola"), epochKey: key, conversationID: "c1", epoch: 1, senderID: "u1", clientMessageID: "m1",
            identity: identity)
        #expect(envelope.commitment == nil)
        #expect(Data(base64URLEncoded: envelope.iv)?.count == 12)
        #expect(Data(base64URLEncoded: envelope.signature)?.count == 64)
        #expect(!envelope.iv.contains("=") && !envelope.ciphertext.contains("="))
        let plaintext = try MessageCipher.decrypt(
            envelope, epochKey: key, conversationID: "c1", senderID: "u1", clientMessageID: "m1",
            senderSigningKey: identity.signingKey.publicKey)
        #expect(plaintext == MessagePlaintext(content: "hola"))
        // A commitment given beside a message without a franking key is refused.
        #expect(throws: E2EEError.commitmentMismatch(messageID: nil)) {
            try MessageCipher.decrypt(
                envelope, epochKey: key, conversationID: "c1", senderID: "u1", clientMessageID: "m1",
                senderSigningKey: identity.signingKey.publicKey, commitment: Franking.commitment(key: Franking.newKey(), content: "hola"))
        }
    }
}
