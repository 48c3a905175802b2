import ParleyCore

/// One message of a page as this device can show it: the server's Message, and either its
/// verified, decrypted plaintext or the reason it could not be shown (bad signature,
/// missing key, unaccepted key change…). Plain messages (`system`) have no envelope and
/// show their `content` as they are.
public struct DecryptedMessage: Sendable {
    public var message: Message
    public var result: Result<MessagePlaintext, E2EEError>

    public init(message: Message, result: Result<MessagePlaintext, E2EEError>) {
        self.message = message
        self.result = result
    }

    /// The text to show, when there is one.
    public var content: String? { try? result.get().content }
}
