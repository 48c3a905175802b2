/// An epoch key as sealed to one device, for that device to open.
public struct DeliveredKey: Sendable, Hashable {
    public var epoch: Int64
    public var senderDeviceID: String
    /// The sealing device's user.
    public var senderID: String
    public var key: String

    public init(epoch: Int64, senderDeviceID: String, senderID: String, key: String) {
        self.epoch = epoch
        self.senderDeviceID = senderDeviceID
        self.senderID = senderID
        self.key = key
    }
}
