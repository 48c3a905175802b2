/// A message and its place in the store's commit order.
public struct PositionedMessage: Sendable, Hashable {
    public var message: Message
    public var position: Int64

    public init(message: Message, position: Int64) {
        self.message = message
        self.position = position
    }
}
