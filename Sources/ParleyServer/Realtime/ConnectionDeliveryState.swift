import NIOWebSocket
import ParleyRealtime

/// What the hub's delivering thread and a connection's own tasks share about one
/// connection: whether a resume is replaying, the live frames held meanwhile, the
/// position of the last `message.new` queued (so none goes out twice or out of order),
/// why the server is closing it, and whether its writer is done.
///
/// Concurrency: lives in the connection's `Mutex`; the methods that take the
/// `OutboundQueue` offer to it while that `Mutex` is held (the lock order is in
/// docs/realtime.md, "Locks").
struct ConnectionDeliveryState {
    var resuming = false
    /// Live frames that came during a resume, sent after it (bounded: see `enqueue`).
    private var pending: [OutboundFrame] = []
    private var pendingBytes = 0
    /// A live `message.new` did not fit in `pending` during the resume: the resume
    /// reads the store once more before it ends (the message is committed there).
    private var droppedLiveMessage = false
    private var lastPosition: Int64 = 0
    var closeReason: (WebSocketErrorCode, String)?
    /// The writer has written everything it will (the close frame included), or the
    /// channel failed; `writerWaiter` is the reader, waiting for that.
    var writerFinished = false
    var writerWaiter: CheckedContinuation<Void, Never>?

    /// A live frame from the hub: queued, held during a resume within `holdLimits`, or
    /// dropped if it is a `message.new` already queued. `false`: the queue (or, for a
    /// frame that cannot be read again from the store, the hold) is full.
    mutating func enqueue(_ frame: OutboundFrame, into queue: OutboundQueue, holdLimits: OutboundQueue.Limits) -> Bool {
        if resuming {
            let bytes = frame.text.utf8.count
            if pending.count < holdLimits.maxFrames, pendingBytes + bytes <= holdLimits.maxBytes {
                pending.append(frame)
                pendingBytes += bytes
                return true
            }
            if frame.position != nil {
                // Committed, so the replay can read it again rather than hold it.
                droppedLiveMessage = true
                return true
            }
            return false
        }
        if let position = frame.position {
            if position <= lastPosition { return true }
            lastPosition = position
        }
        // Lock order: connection state, then outbound queue (docs/realtime.md, "Locks").
        return queue.offer(frame.text)
    }

    /// A replay starts: live frames are held from now on.
    mutating func startResume() {
        resuming = true
        pending = []
        pendingBytes = 0
        droppedLiveMessage = false
    }

    /// Ends a replay at `position`: what was held goes into `queue` after it, without the
    /// messages the replay already sent. With `unlessLiveMessageWasDropped`, a replay
    /// during which a live message could not be held does not end (`ended` is false):
    /// the caller reads on, and finds it in the store. `overflowed`: the queue was full.
    mutating func endResume(
        at position: Int64, unlessLiveMessageWasDropped: Bool, into queue: OutboundQueue
    ) -> (ended: Bool, overflowed: Bool) {
        if unlessLiveMessageWasDropped, droppedLiveMessage {
            droppedLiveMessage = false
            return (false, false)
        }
        resuming = false
        lastPosition = max(lastPosition, position)
        let held = pending
        pending = []
        pendingBytes = 0
        for frame in held {
            if let framePosition = frame.position {
                if framePosition <= lastPosition { continue }
                lastPosition = framePosition
            }
            // Lock order: connection state, then outbound queue (docs/realtime.md, "Locks").
            if !queue.offer(frame.text) { return (true, true) }
        }
        return (true, false)
    }
}
