import Foundation
import Logging
import ParleyClient
import ParleyCore
import ParleySQLite
import ParleyTestSupport
import Testing

/// A node hands `message.new` out in commit order even when a live event never reaches
/// it (another node wrote while Redis was away, or its event is still on the way).
@Suite struct SequencerTests {
    @Test func aMessageWhoseLiveEventNeverCameIsReadFromTheStoreAndHandedOutInOrder() async throws {
        let folder = try makeTemporaryFolder("gap")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("shared.sqlite").path
        try await TestServer.with(options: TestServer.Options(databasePath: database)) { node in
            let id = try await node.client("buyer1", .buyer).createThread(message: "hola").conversation.conversationID
            let seller = try await node.client("seller1", .seller)
            _ = try await node.realtime("buyer1", .buyer) { buyer in
                try await buyer.send(.ping(id: nil))
                _ = try await buyer.next { if case .pong = $0 { true } else { false } }
                // Another writer of the same database: its message is committed, never announced.
                var logger = Logger(label: "other-node")
                logger.logLevel = .error
                let otherNode = try SQLiteConversationStore(path: database, logger: logger)
                let silent = try await withRunningServices([otherNode], logger: logger) {
                    try await otherNode.appendMessage(
                        NewMessage(
                            messageID: Identifier.make(prefix: "m"), conversationID: id, senderID: "seller1",
                            content: "escrito en otro nodo", type: .text, clientMessageID: nil, now: SystemWallClock().now()))
                }
                let announced = try await seller.send(id, .init(content: "anunciado"))
                let first = try await buyer.next(timeout: .seconds(5)) { $0.newMessage != nil }
                let second = try await buyer.next(timeout: .seconds(5)) { $0.newMessage != nil }
                #expect(first.newMessage?.messageID == silent.message.messageID)
                #expect(first.cursor == ResumeCursor(position: silent.position).token)
                #expect(second.newMessage == announced)
            }
        }
    }
}
