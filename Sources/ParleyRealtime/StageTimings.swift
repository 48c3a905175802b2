import Foundation

/// Where the time of the real-time path goes on this node, stage by stage, to find where
/// latency queues under load. Off unless asked for (`parley serve --stage-timings`):
/// each stage costs a clock read or two per frame.
///
/// The stages of a `message.send` on its way to another user's socket, in order (each is
/// measured on its own; a stage's time does not include the ones before it):
public struct StageTimings: Sendable {
    public enum Stage: String, Sendable, CaseIterable {
        /// Read from the client, until the connection's worker takes it (the frames
        /// before it on the same connection).
        case frameWait = "frame_wait"
        /// The worker's send: the checks, the store's append (waiting for the writer's
        /// next batch, the transaction, the commit) and the publish, until the `ack`.
        case send
        /// Published on any node, until this node's hub has queued its frame for every
        /// local recipient's connection: the broker (in memory, or the trip through
        /// Redis), ordering, encoding. Timed with the wall clock, as it may cross
        /// processes: nodes on different machines need their clocks in step.
        case hub
        /// Queued for one connection, until its writer takes it (every frame).
        case outboundQueue = "outbound_queue"
        /// Taken by a connection's writer, until the batch is handed to the kernel.
        case socketWrite = "socket_write"
    }

    private let sink: @Sendable (Stage, Duration) -> Void

    /// `sink` gets every measurement (a histogram per stage, in the server).
    public init(_ sink: @escaping @Sendable (Stage, Duration) -> Void) {
        self.sink = sink
    }

    public func record(_ stage: Stage, _ duration: Duration) {
        sink(stage, duration)
    }

    public func record(_ stage: Stage, since start: ContinuousClock.Instant) {
        sink(stage, .now - start)
    }

    /// Now, in microseconds since 1970 (the `hub` stage's clock, shared by processes).
    public static func wallMicroseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
    }
}
