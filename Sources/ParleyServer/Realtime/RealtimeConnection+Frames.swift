import Foundation
import HummingbirdWebSocket
import ParleyCore
import ParleyMessaging

/// Frames from the client: read in order by the reader, whose own state (`FrameReader`)
/// is a value passed `inout` down from the read loop; `message.send` frames are stored
/// by a sender task, started in `group` when a send finds none running.
extension RealtimeConnection {
    func readFrames(
        from inbound: WebSocketInboundStream, sends: SendQueue, group: inout ThrowingDiscardingTaskGroup<any Error>
    ) async throws {
        var reader = FrameReader(now: clock.now())
        for try await message in inbound.messages(maxSize: Self.maxInboundMessageBytes) {
            metrics.webSocketFramesReceived.increment()
            if state.withLock({ $0.closeReason != nil }) { break }
            guard admitFrame(&reader) else { continue }
            guard case .text(let text) = message else {
                send(.error(id: nil, error: .init(code: "bad_frame", message: "frames must be JSON text")))
                continue
            }
            let frame: ClientFrame
            do {
                frame = try JSONDecoder().decode(ClientFrame.self, from: Data(text.utf8))
            } catch {
                let id = try? JSONDecoder().decode(FrameIDOnly.self, from: Data(text.utf8)).id
                let problem = (error as? DecodingError).map(ParleyJSONDecoder.describe) ?? .invalid(field: "frame", reason: "not valid JSON")
                send(.error(id: id, error: .init(code: problem.code, message: problem.message)))
                continue
            }
            if case .messageSend = frame {
                if await sends.enqueue(frame) {
                    group.addTask { await self.runSender(sends) }
                }
            } else {
                // Frames are handled in the order they were sent: sends pipeline among
                // themselves, but a `ping`, `read` or `resume` after them waits until
                // they are stored.
                await sends.waitUntilIdle()
                await handle(frame, reader: &reader)
            }
        }
    }

    /// Rate-limits frames: refused frames get `rate_limited`; a client that keeps
    /// flooding is closed.
    private func admitFrame(_ reader: inout FrameReader) -> Bool {
        switch reader.admit(at: clock.now()) {
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

    /// Stores one `message.send` and answers `ack`. The sender task calls it, one frame
    /// at a time in frame order.
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

    /// Handles a frame other than `message.send`, in the reader's task.
    private func handle(_ frame: ClientFrame, reader: inout FrameReader) async {
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
                guard reader.forwardsTyping(typingState, in: key, at: now) else { return }
                try await messaging.typing(conversationID, state: typingState, by: principal)
                reader.typingForwarded(typingState, in: key, at: now)
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
