/// The authenticated caller of a request or the owner of a connection.
public struct Principal: Sendable, Hashable {
    /// The sender of automatic answers. No token may carry it as `sub`.
    public static let assistantID = "parley.assistant"

    public var userID: String
    public var role: Role
    public var name: String?
    /// When the credentials expire (the token's `exp`); long-lived connections close then.
    public var expiresAt: Timestamp?

    public init(userID: String, role: Role, name: String? = nil, expiresAt: Timestamp? = nil) {
        self.userID = userID
        self.role = role
        self.name = name
        self.expiresAt = expiresAt
    }
}
