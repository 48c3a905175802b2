import ParleyCore

/// Where a node fetches messages it did not hear of live: the application's log of
/// committed messages (the store), each as the delivery it would have been.
///
/// The hub asks it only to fill gaps in the live stream (see `MessageSequencer`); the
/// application implements it, so the realtime layer never reaches up into the store.
public protocol MessageLog: Sendable {
    /// The newest committed position (where a node starts).
    func latestPosition() async throws -> Int64
    /// The deliveries of the messages at positions in `range`, in order (at most `limit`).
    func deliveries(in range: ClosedRange<Int64>, limit: Int) async throws -> [(position: Int64, delivery: Delivery)]
}
