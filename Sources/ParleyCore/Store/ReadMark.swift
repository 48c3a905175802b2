/// A read position after `markRead`.
public struct ReadMark: Sendable, Equatable {
    /// The caller's read position after the call.
    public var position: Int64
    /// Whether the call moved it (only then is anything written or announced).
    public var moved: Bool

    public init(position: Int64, moved: Bool) {
        self.position = position
        self.moved = moved
    }
}
