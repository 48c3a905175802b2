import Foundation
import ParleyClient
import ParleyCore
import Testing

/// The contract's "Real time" with real WebSocket clients against a live node.
@Suite struct RealtimeTests {
    @Test func aSentMessageIsAckedAfterStoringAndReachesEveryDeviceOfEveryParticipant() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread().conversation.conversationID
            _ = try await server.realtime("seller1", .seller) { seller in
                try await seller.send(.ping(id: .number(0)))
                _ = try await seller.next { if case .pong = $0 { true } else { false } }
                _ = try await server.realtime("buyer1", .buyer) { otherDevice in
                    try await otherDevice.send(.ping(id: .number(0)))
                    _ = try await otherDevice.next { if case .pong = $0 { true } else { false } }
                    _ = try await server.realtime("buyer1", .buyer) { device in
                        try await device.send(
                            .messageSend(
                                id: .string("m-1"), conversationID: id, content: "¿Llega mañana?", contentType: .text,
                                clientMessageID: "c-1"))
                        // The ack and the sender's own message.new may come in either order.
                        var ack: (FrameID?, Message)?
                        var ownEvent: Message?
                        while ack == nil || ownEvent == nil {
                            let frame = try await device.next()
                            if case .ack(let ackID, let message) = frame { ack = (ackID, message) }
                            if let message = frame.newMessage { ownEvent = message }
                        }
                        let (ackID, acked) = try #require(ack)
                        #expect(ackID == .string("m-1"))
                        #expect(acked.seq == 1 && acked.clientMessageID == "c-1")
                        #expect(ownEvent?.messageID == acked.messageID)
                        // Stored before anyone heard of it.
                        #expect(try await buyer.messages(id).messages.map(\.messageID) == [acked.messageID])
                        for session in [otherDevice, seller] {
                            let frame = try await session.next { $0.newMessage != nil }
                            #expect(frame.newMessage?.messageID == acked.messageID)
                            #expect(frame.cursor != nil)
                        }
                    }
                }
            }
        }
    }

    @Test func restSendsAndChangesProduceTheSameEvents() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let seller = try await server.client("seller1", .seller)
            let id = try await buyer.createThread().conversation.conversationID
            _ = try await server.realtime("buyer1", .buyer) { session in
                try await session.send(.ping(id: nil))
                _ = try await session.next { if case .pong = $0 { true } else { false } }
                let sent = try await seller.send(id, .init(content: "Sale hoy"))
                let received = try await session.next { $0.newMessage != nil }.newMessage
                #expect(received == sent)
                _ = try await seller.setStatus(id, .pending)
                let updated = try await session.next { if case .event(.conversationUpdated) = $0 { true } else { false } }
                guard case .event(.conversationUpdated(let view)) = updated else { return }
                #expect(view.conversation.status == .pending)
                #expect(view.unreadCount == 1)  // as the buyer sees it
                // The seller's own send already moved its read position to 1 (silently), so
                // a read of 1 by the seller announces nothing; the buyer's read does.
                _ = try await buyer.markRead(id, seq: 1)
                let read = try await session.next { if case .event(.read) = $0 { true } else { false } }
                guard case .event(.read(let conversationID, let userID, let seq)) = read else { return }
                #expect(conversationID == id && userID == "buyer1" && seq == 1)
            }
        }
    }

    @Test func typingGoesToTheOthersOnlyAndReadIsStored() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread(message: "hola").conversation.conversationID
            _ = try await server.realtime("seller1", .seller) { seller in
                try await seller.send(.ping(id: nil))
                _ = try await seller.next { if case .pong = $0 { true } else { false } }
                _ = try await server.realtime("buyer1", .buyer) { buyerSession in
                    try await buyerSession.send(.typing(id: nil, conversationID: id, state: .start))
                    let typing = try await seller.next { if case .event(.typing) = $0 { true } else { false } }
                    guard case .event(.typing(_, let userID, let state)) = typing else { return }
                    #expect(userID == "buyer1" && state == .start)
                    // The typist does not hear itself.
                    let own = try await buyerSession.drain(for: .milliseconds(300))
                    #expect(!own.contains { if case .event(.typing) = $0 { true } else { false } })
                    try await seller.send(.read(id: nil, conversationID: id, seq: 1))
                    let read = try await buyerSession.next { if case .event(.read) = $0 { true } else { false } }
                    guard case .event(.read(_, let reader, let seq)) = read else { return }
                    #expect(reader == "seller1" && seq == 1)
                }
            }
            #expect(try await buyer.messages(id).messages.first?.readBy == ["seller1"])
        }
    }

    @Test func presenceReachesExactlyTheUsersWhoShareAConversation() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            _ = try await buyer.createThread()
            _ = try await server.realtime("buyer1", .buyer) { buyerSession in
                try await buyerSession.send(.ping(id: nil))
                _ = try await buyerSession.next { if case .pong = $0 { true } else { false } }
                _ = try await server.realtime("stranger", .buyer) { stranger in
                    _ = try await server.realtime("seller1", .seller) { seller in
                        // The newcomer is told who is online already…
                        _ = try await seller.next { $0.isPresence(of: "buyer1", .online) }
                        // …and the others that it came.
                        _ = try await buyerSession.next { $0.isPresence(of: "seller1", .online) }
                    }
                    // Offline after the grace period (300 ms in tests, at most 15 s by contract).
                    let offline = try await buyerSession.next(timeout: .seconds(5)) { $0.isPresence(of: "seller1", .offline) }
                    guard case .event(.presence(_, _, let lastSeen)) = offline else { return }
                    #expect(lastSeen != nil)
                    let strangerFrames = try await stranger.drain(for: .milliseconds(200))
                    #expect(!strangerFrames.contains { if case .event(.presence) = $0 { true } else { false } })
                }
            }
        }
    }

    @Test func resumeDeliversWhatWasMissedInOrderWithoutGapsOrDuplicates() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let seller = try await server.client("seller1", .seller)
            let id = try await buyer.createThread().conversation.conversationID
            let other = try await buyer.createThread(orderID: "o2").conversation.conversationID
            // Connected once: remember the cursor of the last message seen.
            let cursor = try await server.realtime("buyer1", .buyer) { session in
                try await session.send(.ping(id: nil))
                _ = try await session.next { if case .pong = $0 { true } else { false } }
                _ = try await seller.send(id, .init(content: "uno"))
                return try #require(try await session.next { $0.newMessage != nil }.cursor)
            }.value
            // Away: messages over REST and over another WebSocket, and a thread joined later.
            for index in 0..<5 { _ = try await seller.send(id, .init(content: "rest \(index)")) }
            _ = try await server.realtime("seller1", .seller) { session in
                for index in 0..<5 {
                    try await session.send(
                        .messageSend(
                            id: .number(Double(index)), conversationID: id, content: "ws \(index)",
                            contentType: .text, clientMessageID: nil))
                    _ = try await session.next { if case .ack = $0 { true } else { false } }
                }
            }
            _ = try await seller.send(other, .init(content: "otro hilo"))
            let joined = try await server.client("backend", .service).createConversation(
                .init(
                    participants: [.init(userId: "buyer1", role: .buyer), .init(userId: "seller9", role: .seller)],
                    message: .init(content: "nuevo")))
            // Back, with more messages arriving concurrently while it resumes.
            let seen = try await server.realtime("buyer1", .buyer) { session in
                try await session.send(.resume(id: .string("r"), cursor: cursor))
                async let concurrent: Void = {
                    for index in 0..<30 { _ = try await seller.send(id, .init(content: "durante \(index)")) }
                }()
                var messages: [Message] = []
                var resumed = false
                while true {
                    let frame: ServerFrame
                    do { frame = try await session.next(timeout: .seconds(2)) } catch { break }
                    if frame.isResumed { resumed = true }
                    if let message = frame.newMessage { messages.append(message) }
                }
                try await concurrent
                #expect(resumed)
                return messages
            }.value
            let inFirst = seen.filter { $0.conversationID == id }.map(\.seq)
            // Messages sent live between the connect and the resume frame may come first
            // (and come again in the replay: resume sends every message after the cursor);
            // from the replay's first message on, each comes once and in order.
            let replayed = Array(inFirst.drop { $0 != 2 })
            #expect(replayed == Array(2...41), "every message after the cursor, once, in order")
            #expect(Set(inFirst).isSubset(of: Set(2...41)))
            #expect(seen.filter { $0.conversationID == other }.map(\.content) == ["otro hilo"])
            #expect(seen.filter { $0.conversationID == joined.conversation.conversationID }.map(\.content) == ["nuevo"])
        }
    }

    @Test func anUnknownCursorGetsCursorExpired() async throws {
        try await TestServer.with { server in
            let outcome = try await server.realtime("buyer1", .buyer) { session in
                try await session.send(.resume(id: .number(3), cursor: "r99999999"))
                let first = try await session.next { $0.errorCode != nil }
                try await session.send(.resume(id: .number(4), cursor: "garbage"))
                let second = try await session.next { $0.errorCode != nil }
                return [first.errorCode, second.errorCode]
            }
            #expect(outcome.value == ["cursor_expired", "cursor_expired"])
        }
    }

    @Test func badFramesGetAnErrorAndTheConnectionStaysUp() async throws {
        try await TestServer.with { server in
            let outcome = try await server.realtime("buyer1", .buyer) { session in
                try await session.sendRaw("{not json")
                let notJSON = try await session.next { $0.errorCode != nil }
                try await session.sendRaw(#"{"type":"fly","id":"x1"}"#)
                let unknown = try await session.next { $0.errorCode != nil }
                try await session.sendRaw(#"{"type":"message.send","id":9}"#)
                let missing = try await session.next { $0.errorCode != nil }
                try await session.send(
                    .messageSend(id: .number(10), conversationID: "c_none", content: "x", contentType: .text, clientMessageID: nil))
                let notFound = try await session.next { $0.errorCode != nil }
                try await session.sendBinary([1, 2, 3])
                let binary = try await session.next { $0.errorCode != nil }
                try await session.send(.ping(id: .number(11)))
                let pong = try await session.next { if case .pong = $0 { true } else { false } }
                return (notJSON, unknown, missing, notFound, binary, pong)
            }
            let (notJSON, unknown, missing, notFound, binary, pong) = outcome.value
            #expect(notJSON.errorCode == "invalid_request")
            guard case .error(let unknownID, _) = unknown, case .error(let missingID, let missingError) = missing,
                case .error(let notFoundID, let notFoundError) = notFound, case .pong(let pongID) = pong
            else {
                Issue.record("unexpected frames")
                return
            }
            #expect(unknownID == .string("x1"))
            #expect(missingID == .number(9))
            #expect(missingError.message.contains("conversationId"))
            #expect(notFoundID == .number(10) && notFoundError.code == "not_found")
            #expect(binary.errorCode == "bad_frame")
            #expect(pongID == .number(11))
            #expect(outcome.closeCode == .normalClosure)
        }
    }

    @Test func aFrameOverTheLimitClosesWith1009() async throws {
        try await TestServer.with { server in
            let outcome = try await server.realtime("buyer1", .buyer) { session in
                try await session.sendRaw(String(repeating: "x", count: 70_000))
                return try await session.nextRaw(timeout: .seconds(5))
            }
            #expect(outcome.closeCode == .messageTooLarge)
        }
    }

    @Test func aFloodGetsRateLimitedThenClosed() async throws {
        try await TestServer.with { server in
            let outcome = try await server.realtime("buyer1", .buyer) { session in
                var codes: [String] = []
                for index in 0..<400 {
                    do { try await session.send(.ping(id: .number(Double(index)))) } catch { break }
                }
                while let text = try? await session.nextRaw(timeout: .seconds(3)) {
                    if let frame = try? JSONDecoder().decode(ServerFrame.self, from: Data(text.utf8)), let code = frame.errorCode {
                        codes.append(code)
                    }
                }
                return codes
            }
            #expect(outcome.value.contains("rate_limited"))
            #expect(outcome.closeCode == .policyViolation)
        }
    }

    @Test func aClientThatNeverReadsIsClosedAndMemoryStaysBounded() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread().conversation.conversationID
            let seller = try await server.client("seller1", .seller)
            let anonymous = server.anonymous()
            _ = try await server.realtime("buyer1", .buyer, reading: false) { _ in
                let big = String(repeating: "¡envío! ", count: 1_500)  // ~13 KiB per event
                var closed = false
                for round in 0..<40 where !closed {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for index in 0..<50 {
                            group.addTask { _ = try await seller.send(id, .init(content: "\(round)-\(index) \(big)")) }
                        }
                        try await group.waitForAll()
                    }
                    let metrics = String(decoding: try await anonymous.raw(.GET, "/metrics").body, as: UTF8.self)
                    closed = metrics.contains("parley_websocket_slow_consumers_closed_total 1")
                }
                #expect(closed, "the server should close a connection whose queue is full")
            }
        }
    }

    @Test func ticketsAreSingleUseAndExpire() async throws {
        let clock = ManualClock()
        try await TestServer.with(options: .init(clock: clock)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let ticket = try await buyer.realtimeTicket()
            let first = try await RealtimeSession.open(baseURL: server.baseURL, credentials: .ticket(ticket)) { session in
                try await session.send(.ping(id: .number(1)))
                return try await session.next { if case .pong = $0 { true } else { false } }
            }
            guard case .pong(let id) = first.value else {
                Issue.record("no pong")
                return
            }
            #expect(id == .number(1))
            await #expect(throws: (any Error).self) {
                _ = try await RealtimeSession.open(baseURL: server.baseURL, credentials: .ticket(ticket)) { _ in }
            }
            let stale = try await buyer.realtimeTicket()
            clock.advance(bySeconds: 61)
            await #expect(throws: (any Error).self) {
                _ = try await RealtimeSession.open(baseURL: server.baseURL, credentials: .ticket(stale)) { _ in }
            }
            await #expect(throws: (any Error).self) {
                _ = try await RealtimeSession.open(baseURL: server.baseURL, credentials: .none) { _ in }
            }
        }
    }

    @Test func originsOutsideTheAllowListAreRefused() async throws {
        try await TestServer.with(options: .init(allowedOrigins: ["https://shop.example"])) { server in
            let token = try await server.token("buyer1", .buyer)
            let allowed = try await RealtimeSession.open(
                baseURL: server.baseURL, credentials: .token(token), origin: "https://shop.example"
            ) { session in
                try await session.send(.ping(id: nil))
                return try await session.next { if case .pong = $0 { true } else { false } }
            }
            #expect({ if case .pong = allowed.value { true } else { false } }())
            await #expect(throws: (any Error).self) {
                _ = try await RealtimeSession.open(baseURL: server.baseURL, credentials: .token(token), origin: "https://evil.example") { _ in }
            }
        }
    }

    @Test func aConnectionClosesWhenItsTokenExpires() async throws {
        try await TestServer.with { server in
            let shortLived = try await server.signer.sign(userID: "buyer1", role: .buyer, timeToLive: 2)
            let outcome = try await RealtimeSession.open(baseURL: server.baseURL, credentials: .token(shortLived)) { session in
                while (try? await session.nextRaw(timeout: .seconds(6))) != nil {}
            }
            #expect(outcome.closeCode == .policyViolation)
            #expect(outcome.closeReason?.contains("expired") == true)
        }
    }
}
