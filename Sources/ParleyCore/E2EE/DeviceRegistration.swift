/// What registering a device did.
public enum DeviceRegistration: Sendable, Equatable {
    /// A device new to its user (201).
    case created
    /// The same keys again: nothing changed (200).
    case unchanged
    /// The device id was registered with other keys, now replaced (200; a change others
    /// must hear of: their safety numbers for it change).
    case replaced

    /// Whether the user's devices changed (`devices.changed`, an audit leaf).
    public var changed: Bool { self != .unchanged }
}
