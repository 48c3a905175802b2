import NIOCore
import NIOWebSocket
import ParleyRealtime

/// The writer: the outbound queue goes straight to the channel, on its event loop, with
/// no task of its own. The queue wakes the writer when a frame arrives while it is idle
/// (`OutboundQueue.startPushing`); the writer then writes a batch, and takes the next
/// once that batch is out of NIO's buffer (handed to the kernel): a client that stops
/// reading stops the writer, its queue fills and it is closed as a slow consumer,
/// as with a writing task. An idle connection costs no task and no stack here.
///
/// Concurrency: `drain()` runs only on the channel's event loop; `drainInline` (an
/// atomic, for the checker) tells it whether a batch's write finished during its own
/// flush, so the next batch is taken in a loop rather than by recursion.
extension RealtimeConnection {
    /// Frames written per batch, at most.
    static let writeBatchFrames = 64
    /// Bytes written per batch, at most (past the first frame): NIO's default high
    /// water mark for a channel's pending writes.
    static let writeBatchBytes = 64 * 1024

    /// Starts writing the queue (after the presence snapshot, which goes first).
    func startWriting() {
        queue.startPushing { [weak self] in self?.drainSoon() }
        drainSoon()
    }

    /// Writes `texts` ahead of the queue (before `startWriting`), returning once they
    /// are out of NIO's buffer; `false` if the channel failed.
    func writeAhead(_ texts: [String]) async -> Bool {
        guard !texts.isEmpty else { return true }
        let channel = self.channel
        let promise = channel.eventLoop.makePromise(of: Void.self)
        channel.eventLoop.execute {
            for (index, text) in texts.enumerated() {
                channel.write(NIOAny(Self.textFrame(text, allocator: channel.allocator)), promise: index == texts.count - 1 ? promise : nil)
            }
            channel.flush()
        }
        do {
            try await promise.futureResult.get()
            return true
        } catch {
            return false
        }
    }

    /// Waits until the writer has written what was queued and the close frame (or the
    /// channel failed).
    func waitForWriter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.writerFinished { return true }
                state.writerWaiter = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Never inline: the queue wakes the writer under the connection's and the hub's
    /// locks, and a write can run the channel's callbacks, which take them too.
    private func drainSoon() {
        channel.eventLoop.execute { self.drain() }
    }

    /// On the event loop: writes batches until the queue is idle, finished, or a batch
    /// waits for the socket (its completion drains on).
    private func drain() {
        let channel = self.channel
        while true {
            switch queue.take(maxFrames: Self.writeBatchFrames, maxBytes: Self.writeBatchBytes) {
            case .idle:
                return
            case .finished:
                writeClose()
                return
            case .frames(let texts):
                let promise = channel.eventLoop.makePromise(of: Void.self)
                if let stageTimings = queue.stageTimings {
                    let taken = ContinuousClock.now
                    promise.futureResult.whenSuccess { stageTimings.record(.socketWrite, since: taken) }
                }
                for (index, text) in texts.enumerated() {
                    channel.write(NIOAny(Self.textFrame(text, allocator: channel.allocator)), promise: index == texts.count - 1 ? promise : nil)
                }
                drainInline.store(Self.drainFlushing, ordering: .relaxed)
                promise.futureResult.whenComplete { result in
                    switch result {
                    case .failure:
                        // The socket is gone: what is queued cannot go out.
                        self.queue.finish()
                        self.writerFinished()
                    case .success:
                        if self.drainInline.exchange(Self.drainCompletedInline, ordering: .relaxed) == Self.drainIdle {
                            self.drain()
                        }
                    }
                }
                channel.flush()
                // Written during the flush: take the next batch here. Otherwise its
                // completion drains on.
                if drainInline.exchange(Self.drainIdle, ordering: .relaxed) != Self.drainCompletedInline { return }
            }
        }
    }

    /// The queue has ended: the close frame, when the server closes, after what was queued.
    private func writeClose() {
        guard let (code, reason) = state.withLock({ $0.closeReason }) else {
            writerFinished()
            return
        }
        var buffer = channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        buffer.write(webSocketErrorCode: code)
        buffer.writeString(reason)
        channel.writeAndFlush(NIOAny(WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer)))
            .whenComplete { _ in self.writerFinished() }
    }

    private func writerFinished() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.writerFinished = true
            defer { state.writerWaiter = nil }
            return state.writerWaiter
        }
        waiter?.resume()
    }

    private static func textFrame(_ text: String, allocator: ByteBufferAllocator) -> WebSocketFrame {
        var buffer = allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        return WebSocketFrame(fin: true, opcode: .text, data: buffer)
    }

    /// `drainInline` values: no batch in flight, a batch flushing, a batch that finished
    /// during its flush.
    static let drainIdle: UInt8 = 0
    static let drainFlushing: UInt8 = 1
    static let drainCompletedInline: UInt8 = 2
}
