import Foundation

/// What an encrypted message's ciphertext holds: the UTF-8 JSON `{"content": "…"}`, with
/// `"franking": <32 bytes, unpadded base64url>` beside it when the sender made the message
/// reportable.
public struct MessagePlaintext: Sendable, Hashable {
    public var content: String
    /// The 32-byte franking key, when present.
    public var franking: Data?

    public init(content: String, franking: Data? = nil) {
        self.content = content
        self.franking = franking
    }

    struct JSONForm: Codable {
        var content: String
        var franking: String?
    }

    /// The JSON bytes that are encrypted.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return try encoder.encode(JSONForm(content: content, franking: franking.map(E2EEBytes.encode)))
    }

    /// Decrypted bytes read back; anything but the contract's object is refused.
    static func decoded(from bytes: Data) throws -> MessagePlaintext {
        guard let form = try? JSONDecoder().decode(JSONForm.self, from: bytes) else {
            throw E2EEError.malformedPlaintext("not a JSON object with a string content")
        }
        let franking = try form.franking.map { try E2EEBytes.decode($0, field: "franking", length: E2EEBytes.frankingLength) }
        return MessagePlaintext(content: form.content, franking: franking)
    }
}
