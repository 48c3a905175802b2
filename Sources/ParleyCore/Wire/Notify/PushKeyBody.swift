/// `GET /api/push/key`: the VAPID public key browsers subscribe with.
public struct PushKeyBody: Codable, Sendable {
    public var publicKey: String
    public init(publicKey: String) { self.publicKey = publicKey }
}
