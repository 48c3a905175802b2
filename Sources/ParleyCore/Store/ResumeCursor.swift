/// A place in the store's commit order of messages, handed to clients with every
/// `message.new` so they can resume after it. Opaque to clients.
public struct ResumeCursor: Sendable, Hashable {
    public var position: Int64

    public init(position: Int64) {
        self.position = position
    }

    public var token: String { "r" + String(position, radix: 36) }

    public init?(token: String) {
        guard token.first == "r", token.count <= 16, let position = Int64(token.dropFirst(), radix: 36), position >= 0
        else { return nil }
        self.position = position
    }
}
