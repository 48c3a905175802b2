import Crypto
import Foundation
import ParleyClient
import ParleyCore

/// A device of the server's E2EE tests, written from the contract with swift-crypto (no
/// code of the server's): P-256 keys, the registration signature, HPKE-sealed epoch keys,
/// AES-256-GCM messages signed with ECDSA, franking commitments. Bodies are built as JSON
/// text, so the tests send exactly what a client would.
struct E2EETestDevice: Sendable {
    let userID: String
    let deviceID: String
    let signing: P256.Signing.PrivateKey
    let agreement: P256.KeyAgreement.PrivateKey

    init(_ userID: String, _ deviceID: String) {
        self.userID = userID
        self.deviceID = deviceID
        signing = P256.Signing.PrivateKey()
        agreement = P256.KeyAgreement.PrivateKey()
        registrationSignature = Self.b64(try! signing.signature(for: agreement.publicKey.x963Representation).rawRepresentation)
    }

    /// The registration signature, made once (ECDSA signs with a fresh nonce each time).
    let registrationSignature: String

    static let suite = HPKE.Ciphersuite(kem: .P256_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_128)

    static func b64(_ bytes: some DataProtocol) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func bytes(_ text: String) -> Data {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        return Data(base64Encoded: base64)!
    }

    var signingKey: String { Self.b64(signing.publicKey.x963Representation) }
    var encryptionKey: String { Self.b64(agreement.publicKey.x963Representation) }

    /// The body of `PUT /api/devices/{deviceId}`.
    var registrationJSON: String {
        #"{"signingKey":"\#(signingKey)","encryptionKey":"\#(encryptionKey)","signature":"\#(registrationSignature)"}"#
    }

    func register(with client: ParleyRESTClient) async throws -> ParleyRESTClient.RawResponse {
        try await client.rawJSON(.PUT, "/api/devices/\(deviceID)", registrationJSON)
    }

    /// `key` sealed to this device with HPKE, `info` as the contract gives it.
    func seal(_ key: SymmetricKey, conversationID: String, epoch: Int64) throws -> String {
        var sender = try HPKE.Sender(
            recipientKey: agreement.publicKey, ciphersuite: Self.suite, info: Data("parley-e2ee-v1|\(conversationID)|\(epoch)".utf8))
        let sealed = try key.withUnsafeBytes { try sender.seal(Data($0)) }
        return Self.b64(sender.encapsulatedKey + sealed)
    }

    /// Opens what was sealed to this device.
    func open(_ sealed: String, conversationID: String, epoch: Int64) throws -> SymmetricKey {
        let bytes = Self.bytes(sealed)
        var recipient = try HPKE.Recipient(
            privateKey: agreement, ciphersuite: Self.suite, info: Data("parley-e2ee-v1|\(conversationID)|\(epoch)".utf8),
            encapsulatedKey: bytes.prefix(65))
        return SymmetricKey(data: try recipient.open(bytes.dropFirst(65)))
    }

    /// A sealed entry of a key set for this device.
    func sealedEntry(_ key: SymmetricKey, conversationID: String, epoch: Int64) throws -> String {
        #"{"userId":"\#(userID)","deviceId":"\#(deviceID)","key":"\#(try seal(key, conversationID: conversationID, epoch: epoch))"}"#
    }

    /// An encrypted message: the `encrypted` object's JSON, and the commitment when
    /// `franking` is given.
    struct Sealed {
        var envelopeJSON: String
        var commitment: String?
        var iv: String
        var ciphertext: String
        var signature: String
    }

    func encrypt(
        _ content: String, key: SymmetricKey, conversationID: String, epoch: Int64, clientMessageID: String,
        franking: [UInt8]? = nil, signWith signer: P256.Signing.PrivateKey? = nil
    ) throws -> Sealed {
        let additionalData = Data("\(conversationID)|\(epoch)|\(userID)|\(deviceID)|\(clientMessageID)".utf8)
        var inner: [String: String] = ["content": content]
        if let franking { inner["franking"] = Self.b64(franking) }
        let plaintext = try JSONSerialization.data(withJSONObject: inner)
        let box = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(), authenticating: additionalData)
        let ciphertext = box.ciphertext + box.tag
        let signature = try (signer ?? signing).signature(for: additionalData + ciphertext).rawRepresentation
        var commitment: String?
        if let franking {
            commitment = Self.b64(Data(HMAC<SHA256>.authenticationCode(for: Data(content.utf8), using: SymmetricKey(data: franking))))
        }
        let iv = Self.b64(box.nonce.withUnsafeBytes { Data($0) })
        var json =
            #"{"epoch":\#(epoch),"deviceId":"\#(deviceID)","iv":"\#(iv)","ciphertext":"\#(Self.b64(ciphertext))","signature":"\#(Self.b64(signature))""#
        if let commitment { json += #","commitment":"\#(commitment)""# }
        json += "}"
        return Sealed(envelopeJSON: json, commitment: commitment, iv: iv, ciphertext: Self.b64(ciphertext), signature: Self.b64(signature))
    }

    /// The body of `POST …/messages` for an encrypted message.
    static func sendJSON(_ sealed: Sealed, clientMessageID: String) -> String {
        #"{"type":"text","encrypted":\#(sealed.envelopeJSON),"clientMessageId":"\#(clientMessageID)"}"#
    }

    /// Decrypts a message's envelope (as the server relayed it) with the epoch key.
    static func decrypt(_ envelope: [String: Any], key: SymmetricKey, conversationID: String, senderID: String, clientMessageID: String)
        throws -> String
    {
        let epoch = envelope["epoch"] as! Int
        let deviceID = envelope["deviceId"] as! String
        let ciphertext = bytes(envelope["ciphertext"] as! String)
        let box = try AES.GCM.SealedBox(
            nonce: AES.GCM.Nonce(data: bytes(envelope["iv"] as! String)), ciphertext: ciphertext.dropLast(16), tag: ciphertext.suffix(16))
        let plaintext = try AES.GCM.open(
            box, using: key, authenticating: Data("\(conversationID)|\(epoch)|\(senderID)|\(deviceID)|\(clientMessageID)".utf8))
        let object = try JSONSerialization.jsonObject(with: plaintext) as! [String: Any]
        return object["content"] as! String
    }
}

extension ParleyRESTClient.RawResponse {
    /// The body as a JSON object.
    var jsonObject: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}
