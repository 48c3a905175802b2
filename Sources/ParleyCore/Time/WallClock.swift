/// Where the current time comes from; injected so tests can control it.
public protocol WallClock: Sendable {
    func now() -> Timestamp
}
