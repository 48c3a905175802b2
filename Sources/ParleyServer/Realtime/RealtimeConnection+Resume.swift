import ParleyCore
import ParleyMessaging
import ParleyRealtime

/// Resume: the replay of what a client missed, and the hand-over to live events.
extension RealtimeConnection {
    /// Every `message.new` after `cursor`, in commit order — those already delivered live
    /// on this connection included — then `resumed`. Live events that arrive meanwhile
    /// are held and go out after, without duplicates.
    ///
    /// Costs what it sends: the store reads by position from where the last page ended,
    /// each frame waits for room in the queue (a backlog of any length streams at the
    /// pace the client reads), and the replay stops when the connection ends.
    func resume(after cursor: String, id: FrameID?) async throws {
        guard let start = ResumeCursor(token: cursor), try await messaging.resumeCursorIsCurrent(start.position) else {
            endResume(at: 0)
            send(.error(id: id, error: .init(code: "cursor_expired", message: "unknown or expired cursor; reload through REST")))
            return
        }
        state.withLock { $0.startResume() }
        var position = start.position
        do {
            replay: while true {
                if queue.isFinished { break }
                let page = try await messaging.messagesForResume(after: position, for: principal, limit: Self.resumePageSize)
                for item in page {
                    let frame = ServerFrame.event(.messageNew(message: item.message, cursor: ResumeCursor(position: item.position)))
                    guard let text = Self.text(of: frame), await queue.send(text) else { break replay }
                    position = item.position
                }
                // Caught up, unless a live message had to be let go meanwhile: checked and
                // ended under one lock, so none can be let go in between.
                if page.count < Self.resumePageSize, endResume(at: position, unlessLiveMessageWasDropped: true) {
                    guard !queue.isFinished else { return }
                    send(.resumed(id: id))
                    return
                }
            }
        } catch {
            endResume(at: position)
            throw error
        }
        endResume(at: position)
    }

    /// Ends a replay at `position`: what was held goes out after it. With
    /// `unlessLiveMessageWasDropped`, a replay during which a live message could not be
    /// held does not end (returns false): the caller reads on, and finds it in the store.
    @discardableResult
    private func endResume(at position: Int64, unlessLiveMessageWasDropped: Bool = false) -> Bool {
        let queue = queue
        // Takes the queue's lock inside `state` (docs/realtime.md, "Locks").
        let (ended, overflow) = state.withLock { state in
            state.endResume(at: position, unlessLiveMessageWasDropped: unlessLiveMessageWasDropped, into: queue)
        }
        if overflow { overflowed() }
        return ended
    }
}
