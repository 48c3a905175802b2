import Dispatch
import NIOCore
import Synchronization

/// Closes a connection whose request body stops arriving: an upload that sends nothing
/// for `timeout` would otherwise hold its connection, its temporary file and a file
/// descriptor for as long as the client likes (the request-head deadline does not cover
/// bodies). The body is read through ``watching(_:)``, which marks progress on each chunk
/// and stops the watch when the body ends: the work after it is not timed.
final class IdleBodyWatchdog: Sendable {
    private let lastProgress: Atomic<Int64>
    private let timeout: Duration
    private let channel: any Channel
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(channel: any Channel, timeout: Duration) {
        self.channel = channel
        self.timeout = timeout
        lastProgress = Atomic(Self.now())
    }

    /// Starts watching; ``stop()`` must follow.
    func start() {
        let check = min(timeout / 4, .seconds(1))
        let watched = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: check)
                // Stopped while asleep: the body is over, nothing to close.
                guard !Task.isCancelled else { return }
                let idle = Self.now() - lastProgress.load(ordering: .relaxed)
                if Duration.nanoseconds(idle) > timeout {
                    channel.close(promise: nil)
                    return
                }
            }
        }
        task.withLock { $0 = watched }
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }

    /// `body`, noting progress as each chunk arrives.
    func watching<Body: AsyncSequence & Sendable>(_ body: Body) -> WatchedBody<Body> where Body.Element == ByteBuffer {
        WatchedBody(body: body, watchdog: self)
    }

    fileprivate func progressed() {
        lastProgress.store(Self.now(), ordering: .relaxed)
    }

    private static func now() -> Int64 {
        Int64(DispatchTime.now().uptimeNanoseconds)
    }

    struct WatchedBody<Body: AsyncSequence & Sendable>: AsyncSequence, Sendable where Body.Element == ByteBuffer {
        typealias Element = ByteBuffer
        let body: Body
        let watchdog: IdleBodyWatchdog

        func makeAsyncIterator() -> Iterator { Iterator(inner: body.makeAsyncIterator(), watchdog: watchdog) }

        struct Iterator: AsyncIteratorProtocol {
            var inner: Body.AsyncIterator
            let watchdog: IdleBodyWatchdog

            mutating func next() async throws -> ByteBuffer? {
                let chunk: ByteBuffer?
                do {
                    chunk = try await inner.next()
                } catch {
                    watchdog.stop()
                    throw error
                }
                // The body is over: what follows (cleaning, storing) is not the client's delay.
                guard let chunk else {
                    watchdog.stop()
                    return nil
                }
                watchdog.progressed()
                return chunk
            }
        }
    }
}
