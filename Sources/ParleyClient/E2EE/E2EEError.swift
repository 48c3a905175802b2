/// Why an end-to-end encryption step refused to go on. Each case is a reason not to
/// trust or not to show something: none of them is recovered from silently.
public enum E2EEError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A binary field that is not unpadded base64url of the length it must have.
    case malformedField(name: String, reason: String)
    /// A device record whose `signature` does not verify: its encryption key was not
    /// vouched for by its signing key.
    case badDeviceSignature(userID: String, deviceID: String)
    /// A message whose signature does not verify with its sender device's signing key.
    case badMessageSignature(messageID: String?)
    /// The sender device is not among the sender's devices, listed or remembered.
    case unknownDevice(userID: String, deviceID: String)
    /// A device's keys differ from the ones this device remembered for it, and the change
    /// was not accepted yet (`DeviceKeyStore.acceptChange`).
    case deviceKeysChanged([DeviceKeyChange])
    /// The server lists keys under this device's own id that are not this device's: a
    /// server (or someone between) that put its own key there would receive every epoch
    /// key sealed to it. Nothing is sealed to them; the app shows this to the user.
    case ownDeviceKeysReplaced(deviceID: String, listedSafetyNumber: String)
    /// No epoch key for this conversation and epoch reached this device.
    case missingEpochKey(conversationID: String, epoch: Int64)
    /// HPKE or AES-GCM refused: the sealed key or the ciphertext was altered, or was not
    /// meant for this key.
    case openFailed(String)
    /// The decrypted JSON is not `{"content": "…"}` (with an optional 32-byte `franking`).
    case malformedPlaintext(String)
    /// The franking key inside the message does not open the commitment beside it.
    case commitmentMismatch(messageID: String?)
    /// An identity or key store file that cannot be written, or is missing, unreadable or malformed.
    case keyFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .malformedField(let name, let reason): "\(name): \(reason)"
        case .badDeviceSignature(let userID, let deviceID): "device \(deviceID) of \(userID): the encryption key's signature does not verify"
        case .badMessageSignature(let messageID): "message \(messageID ?? "(unsent)"): the signature does not verify"
        case .unknownDevice(let userID, let deviceID): "device \(deviceID) of \(userID) is not known"
        case .deviceKeysChanged(let changes):
            "keys changed and not yet accepted: " + changes.map { "\($0.userID)/\($0.deviceID)" }.joined(separator: ", ")
        case .ownDeviceKeysReplaced(let deviceID, let listed):
            "the server lists other keys (safety number \(listed)) under this device's id \(deviceID)"
        case .missingEpochKey(let conversationID, let epoch): "no key for epoch \(epoch) of conversation \(conversationID)"
        case .openFailed(let reason): "cannot open: \(reason)"
        case .malformedPlaintext(let reason): "decrypted content is malformed: \(reason)"
        case .commitmentMismatch(let messageID): "message \(messageID ?? "?"): the franking key does not open its commitment"
        case .keyFile(let path, let reason): "key file \(path): \(reason)"
        }
    }
}
