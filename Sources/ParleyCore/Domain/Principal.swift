/// The authenticated caller of a request or the owner of a connection.
public struct Principal: Sendable, Hashable {
    public var userID: String
    public var role: Role
    public var name: String?

    public init(userID: String, role: Role, name: String? = nil) {
        self.userID = userID
        self.role = role
        self.name = name
    }
}
