/// A device whose keys are not the ones this device remembered for it: shown to the user
/// (both safety numbers) and used only once the user accepts it.
public struct DeviceKeyChange: Sendable, Hashable {
    public var userID: String
    public var deviceID: String
    public var previousSafetyNumber: String
    public var newSafetyNumber: String

    public init(userID: String, deviceID: String, previousSafetyNumber: String, newSafetyNumber: String) {
        self.userID = userID
        self.deviceID = deviceID
        self.previousSafetyNumber = previousSafetyNumber
        self.newSafetyNumber = newSafetyNumber
    }
}
