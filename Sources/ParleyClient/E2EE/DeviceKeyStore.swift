import Crypto
import Foundation

/// What this device remembers of other devices' keys, per (user, device): trust on first
/// use, and a changed key reported as a change, never taken silently.
///
/// A device seen for the first time is remembered as it is. When a later listing shows
/// other keys for the same (user, device), the new keys wait in `pendingChanges`: nothing
/// is sealed to them and no message is verified with them until `acceptChange` (after
/// the user compared the new safety number); until then `trustedKeys` keeps answering
/// with the remembered ones, so older messages still verify.
///
/// It remembers only as long as it lives, unless saved (`save(to:)`, `init(loadingFrom:)`):
/// an app keeps it in a file beside its identity, so that a key changed while the app was
/// closed is still seen as a change.
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

    /// The store `save(to:)` wrote.
    public init(loadingFrom path: String) throws {
        let bytes = try OwnerOnlyFile.read(path)
        guard let stored = try? JSONDecoder().decode(StoredForm.self, from: bytes) else {
            throw E2EEError.keyFile(path: path, reason: "not a device key store")
        }
        do {
            for entry in stored.trusted {
                let keys = try entry.keys()
                trusted[DeviceKey(userID: keys.userID, deviceID: keys.deviceID)] = keys
            }
            for entry in stored.pending {
                let keys = try entry.keys()
                pending[DeviceKey(userID: keys.userID, deviceID: keys.deviceID)] = keys
            }
        } catch {
            throw E2EEError.keyFile(path: path, reason: "a remembered key is malformed")
        }
    }

    /// Writes what the store remembers (public keys only; 0600 all the same: whoever can
    /// edit this file decides which keys this device trusts).
    public func save(to path: String) throws {
        let stored = StoredForm(
            trusted: trusted.values.map(StoredForm.Entry.init).sorted { ($0.userId, $0.deviceId) < ($1.userId, $1.deviceId) },
            pending: pending.values.map(StoredForm.Entry.init).sorted { ($0.userId, $0.deviceId) < ($1.userId, $1.deviceId) })
        try OwnerOnlyFile.write(try JSONEncoder().encode(stored), to: path)
    }

    /// The file's JSON: each remembered device's keys, unpadded base64url.
    struct StoredForm: Codable {
        struct Entry: Codable {
            var userId: String
            var deviceId: String
            var signingKey: String
            var encryptionKey: String

            init(_ keys: DevicePublicKeys) {
                userId = keys.userID
                deviceId = keys.deviceID
                signingKey = E2EEBytes.encode(keys.signingKeyBytes)
                encryptionKey = E2EEBytes.encode(keys.encryptionKeyBytes)
            }

            func keys() throws -> DevicePublicKeys {
                DevicePublicKeys(
                    userID: userId, deviceID: deviceId,
                    signingKey: try P256.Signing.PublicKey(
                        x963Representation: try E2EEBytes.decode(signingKey, field: "signingKey", length: E2EEBytes.pointLength)),
                    encryptionKey: try P256.KeyAgreement.PublicKey(
                        x963Representation: try E2EEBytes.decode(encryptionKey, field: "encryptionKey", length: E2EEBytes.pointLength)))
            }
        }

        var trusted: [Entry]
        var pending: [Entry]
    }

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
