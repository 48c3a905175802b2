import Foundation
import ParleyClient
import ParleyCore
import Synchronization
import Testing

/// `ParleyRealtimeClient`: reconnect with resume, as a phone that drops its connection.
@Suite struct RealtimeClientTests {
    /// Waits (bounded) until `condition` holds.
    static func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw RealtimeSession.SessionError.timedOut }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func aDroppedConnectionReconnectsAndResumesWithoutLossOrDuplicates() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let seller = try await server.client("seller1", .seller)
            let id = try await buyer.createThread().conversation.conversationID
            let client = ParleyRealtimeClient(baseURL: server.baseURL) { .token(try await server.token("buyer1", .buyer)) }
            let received = Locked<[Message]>([])
            let connections = Locked(0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                group.addTask {
                    for await event in client.events {
                        if case .messageNew(let message, _) = event { received.withLock { $0.append(message) } }
                    }
                }
                group.addTask {
                    for await state in client.states where state == .connected { connections.withLock { $0 += 1 } }
                }
                try await Self.eventually { connections.withLock { $0 } == 1 }
                for index in 1...5 { _ = try await seller.send(id, .init(content: "antes \(index)")) }
                try await Self.eventually { received.withLock { $0.count } == 5 }

                await client.dropConnection()
                for index in 1...5 { _ = try await seller.send(id, .init(content: "durante \(index)")) }
                let own = try await client.send(conversationID: id, content: "¿sigue ahí?")
                try await Self.eventually { received.withLock { $0.count } >= 11 }
                try await Task.sleep(for: .milliseconds(300))

                let messages = received.withLock { $0 }
                #expect(messages.map(\.seq) == Array(1...11), "every message once, in order")
                #expect(messages.last?.messageID == own.messageID)
                #expect(connections.withLock { $0 } >= 2, "the client reconnected")
                group.cancelAll()
            }
        }
    }

    @Test func aSendWhileDisconnectedIsDeliveredOnceAfterTheReconnect() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread().conversation.conversationID
            let client = ParleyRealtimeClient(baseURL: server.baseURL) { .token(try await server.token("buyer1", .buyer)) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                var states = client.states.makeAsyncIterator()
                while let state = await states.next(), state != .connected {}
                await client.dropConnection()
                async let first = client.send(conversationID: id, content: "uno", clientMessageID: "k1")
                async let second = client.send(conversationID: id, content: "dos", clientMessageID: "k2")
                let sent = try await [first, second]
                #expect(Set(sent.map(\.seq)) == [1, 2])
                #expect(try await buyer.messages(id).messages.count == 2)
                group.cancelAll()
            }
        }
    }
}
