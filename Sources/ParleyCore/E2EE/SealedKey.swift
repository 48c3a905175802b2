/// An epoch key sealed (HPKE) to one device of one user: `key` is unpadded base64url of
/// enc‖ciphertext.
public struct SealedKey: Sendable, Hashable {
    public var userID: String
    public var deviceID: String
    public var key: String

    public init(userID: String, deviceID: String, key: String) {
        self.userID = userID
        self.deviceID = deviceID
        self.key = key
    }
}
