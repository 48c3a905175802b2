/// `PUT /api/devices/{deviceId}`: a device's public keys (unpadded base64url of 65-byte
/// uncompressed P-256 points) and its ECDSA signature (64 bytes r‖s) over the bytes of
/// `encryptionKey` by `signingKey`.
public struct DeviceRegistrationBody: Codable, Sendable {
    public var signingKey: String
    public var encryptionKey: String
    public var signature: String

    public init(signingKey: String, encryptionKey: String, signature: String) {
        self.signingKey = signingKey
        self.encryptionKey = encryptionKey
        self.signature = signature
    }
}

/// A device as `GET /api/users/{userId}/devices` lists it (and `PUT` answers).
public struct DeviceBody: Codable, Sendable, Equatable {
    public var deviceId: String
    public var signingKey: String
    public var encryptionKey: String
    public var signature: String
    public var createdAt: Timestamp?

    public init(_ device: Device) {
        deviceId = device.deviceID
        signingKey = device.signingKey
        encryptionKey = device.encryptionKey
        signature = device.signature
        createdAt = device.createdAt
    }
}

/// `{"devices": [...]}`.
public struct DeviceListBody: Codable, Sendable {
    public var devices: [DeviceBody]

    public init(devices: [DeviceBody]) {
        self.devices = devices
    }
}
