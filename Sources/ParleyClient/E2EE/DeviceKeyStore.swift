/// What this device remembers of other devices' keys, per (user, device): trust on first
/// use, and a changed key reported as a change, never taken silently.
///
/// A device seen for the first time is remembered as it is. When a later listing shows
/// other keys for the same (user, device), the new keys wait in `pendingChanges`: nothing
/// is sealed to them and no message is verified with them until `acceptChange` (after
/// the user compared the new safety number); until then `trustedKeys` keeps answering
/// with the remembered ones, so older messages still verify.
///
/// An actor: one store is shared by every task of a client session.
public actor DeviceKeyStore {
    /// What a listing of a device means against what was remembered.
    public enum Observation: Sendable, Equatable {
        case firstSeen
        case unchanged
        case changed(DeviceKeyChange)
    }

    struct DeviceKey: Hashable {
        var userID: String
        var deviceID: String
    }

    private var trusted: [DeviceKey: DevicePublicKeys] = [:]
    private var pending: [DeviceKey: DevicePublicKeys] = [:]

    public init() {}

    /// Records `keys` as listed now and says how they compare with what was remembered.
    @discardableResult
    public func observe(_ keys: DevicePublicKeys) -> Observation {
        let key = DeviceKey(userID: keys.userID, deviceID: keys.deviceID)
        guard let remembered = trusted[key] else {
            trusted[key] = keys
            return .firstSeen
        }
        if remembered.sameKeys(as: keys) {
            // A change that the listing no longer shows is no change to accept.
            pending[key] = nil
            return .unchanged
        }
        pending[key] = keys
        return .changed(
            DeviceKeyChange(
                userID: keys.userID, deviceID: keys.deviceID, previousSafetyNumber: remembered.safetyNumber,
                newSafetyNumber: keys.safetyNumber))
    }

    /// The keys this device trusts for (user, device): the first seen, or the last accepted.
    public func trustedKeys(userID: String, deviceID: String) -> DevicePublicKeys? {
        trusted[DeviceKey(userID: userID, deviceID: deviceID)]
    }

    /// Changes seen and not accepted yet.
    public var pendingChanges: [DeviceKeyChange] {
        pending.compactMap { key, keys in
            trusted[key].map {
                DeviceKeyChange(
                    userID: key.userID, deviceID: key.deviceID, previousSafetyNumber: $0.safetyNumber, newSafetyNumber: keys.safetyNumber)
            }
        }.sorted { ($0.userID, $0.deviceID) < ($1.userID, $1.deviceID) }
    }

    /// Trusts the new keys of a pending change whose new safety number is `newSafetyNumber`
    /// (the number the user compared, so that a second change in between is not accepted
    /// unseen). Whether there was such a change.
    @discardableResult
    public func acceptChange(userID: String, deviceID: String, newSafetyNumber: String) -> Bool {
        let key = DeviceKey(userID: userID, deviceID: deviceID)
        guard let keys = pending[key], keys.safetyNumber == newSafetyNumber else { return false }
        trusted[key] = keys
        pending[key] = nil
        return true
    }
}
