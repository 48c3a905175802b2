import Foundation
import HummingbirdWebSocket
import ParleyCore
import ParleyMessaging

/// Frames from the client: the reader reads, rate-limits and decodes them in order
/// and queues them (`FrameQueue`); a worker task handles them one after the other.
extension RealtimeConnection {
    /// What became of one message read.
    private enum Reading {
        case frame(ClientFrame)
        /// Answered or refused already; read on.
        case skip
        /// The server is closing the connection: read no more.
        case stop
    }

    func readFrames(
        from inbound: WebSocketInboundStream, jobs: FrameQueue, group: inout ThrowingDiscardingTaskGroup<any Error>
    ) async throws {
        let timed = metrics.stageTimings != nil
        for try await message in inbound.messages(maxSize: Self.maxInboundMessageBytes) {
            let readAt = timed ? ContinuousClock.now : nil
            switch read(message) {
            case .stop:
                return
            case .skip:
                continue
            case .frame(.ping(let id)) where jobs.isIdle:
                // Nothing before it waits: answered here, in order, without a worker
                // (a burst of pings is read as fast as it comes, and rate-limited so).
                send(.pong(id: id))
            case .frame(let frame):
                if await jobs.enqueue(.frame(frame, readAt: readAt)) {
                    group.addTask { await self.runWorker(jobs) }
                }
            }
        }
    }

    /// Counts, rate-limits and decodes one message, answering a bad one itself. Not
    /// async: it runs on the thread's stack, not in the reader task's.
    @inline(never)
    private func read(_ message: WebSocketMessage) -> Reading {
        metrics.webSocketFramesReceived.increment()
        if state.withLock({ $0.closeReason != nil }) { return .stop }
        guard admitFrame() else { return .skip }
        guard case .text(let text) = message else {
            send(.error(id: nil, error: .init(code: "bad_frame", message: "frames must be JSON text")))
            return .skip
        }
        // A plain `message.send`, the frame of every message, is read without the decoder.
        if let frame = MessageSendScanner.frame(text) { return .frame(frame) }
        do {
            return .frame(try JSONDecoder().decode(ClientFrame.self, from: Data(text.utf8)))
        } catch {
            let id = try? JSONDecoder().decode(FrameIDOnly.self, from: Data(text.utf8)).id
            let problem = (error as? DecodingError).map(ParleyJSONDecoder.describe) ?? .invalid(field: "frame", reason: "not valid JSON")
            send(.error(id: id, error: .init(code: problem.code, message: problem.message)))
            return .skip
        }
    }

    /// Rate-limits frames: refused frames get `rate_limited`; a client that keeps
    /// flooding is closed.
    private func admitFrame() -> Bool {
        let now = clock.now()
        switch frameReader.withLock({ $0.admit(at: now) }) {
        case .admitted:
            return true
        case .refused(let retryAfterSeconds):
            let error = ParleyError.rateLimited(retryAfterSeconds: retryAfterSeconds)
            send(.error(id: nil, error: .init(code: error.code, message: error.message)))
        case .flooding:
            close(CloseReason.flooding)
        }
        return false
    }

    /// The replay asked for on the upgrade, before any frame. A store that fails closes
    /// the connection (the client reconnects and resumes).
    func resumeOnConnect(after cursor: String) async {
        do {
            try await resume(after: cursor, id: nil)
        } catch {
            logger.error("realtime resume failed", metadata: ["error": "\(error)"])
            close(CloseReason.resumeFailed)
        }
    }

    /// Stores one `message.send` and answers `ack`. The worker calls it, one frame at a
    /// time in frame order.
    func storeSend(_ frame: ClientFrame) async {
        guard
            case .messageSend(let id, let conversationID, let content, let contentType, let clientMessageID, let attachmentID, let encrypted) =
                frame
        else { return }
        do {
            let draft = MessageDraft(
                content: content, type: contentType, clientMessageID: clientMessageID, attachmentID: attachmentID,
                encrypted: encrypted?.envelope, commitment: encrypted?.commitment ?? encrypted?.envelope.commitment)
            let result = try await messaging.send(SendMessage(conversationID: conversationID, draft: draft), by: principal)
            send(.ack(id: id, message: result.message.disclosed(.content)))
        } catch {
            answer(error, to: frame)
        }
    }

    /// Handles a frame other than `message.send`, in the worker.
    func handle(_ frame: ClientFrame) async {
        do {
            switch frame {
            case .messageSend:
                await storeSend(frame)
            case .typing(_, let conversationID, let typingState):
                // Checked before anything is remembered: an id the caller may not see
                // (or that no conversation could have) leaves no state behind.
                try Validation.externalID(conversationID, field: "conversationId")
                let key = OpaqueID(conversationID)
                let now = clock.now().millisecondsSince1970
                guard frameReader.withLock({ $0.forwardsTyping(typingState, in: key, at: now) }) else { return }
                try await messaging.typing(conversationID, state: typingState, by: principal)
                frameReader.withLock { $0.typingForwarded(typingState, in: key, at: now) }
            case .read(_, let conversationID, let seq):
                _ = try await messaging.markRead(conversationID, seq: seq, by: principal)
            case .resume(let id, let cursor):
                // A replay reads the store at length: it counts against the user's limit.
                try messaging.admitWrite(by: principal)
                try await resume(after: cursor, id: id)
            case .ping(let id):
                send(.pong(id: id))
            }
        } catch {
            answer(error, to: frame)
        }
    }

    /// Answers a frame that failed with an `error` frame.
    private func answer(_ error: any Error, to frame: ClientFrame) {
        if let error = error as? ParleyError {
            send(.error(id: frame.id, error: .init(code: error.code, message: error.message)))
        } else {
            logger.error("realtime frame failed", metadata: ["error": "\(error)"])
            send(.error(id: frame.id, error: .init(code: "internal_error", message: "the server failed; the error was logged")))
        }
    }
}
