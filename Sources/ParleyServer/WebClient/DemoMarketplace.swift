import Foundation
import Logging
import ParleyCore
import ServiceLifecycle

/// The demo marketplace of `parley serve --dev --demo`: users, and conversations about
/// orders and products in Spanish and English, from `Demo/demo.json`.
public struct DemoMarketplace: Decodable, Sendable {
    public struct Thread: Decodable, Sendable {
        var orderId: String?
        var productId: String?
        var subject: String?
        var participants: [String]
        var labels: [String]?
        var priority: Priority?
        var status: ConversationStatus?
        var assignee: String?
        var archivedFor: [String]?
        var messages: [DemoMessage]
        /// Up to which `seq` each user has read (besides their own messages).
        var readBy: [String: Int64]?
    }

    public struct DemoMessage: Decodable, Sendable {
        var from: String
        var minutesAgo: Int64
        var text: String
    }

    public var users: [DemoUser]
    public var conversations: [Thread]

    /// The demo built into the server.
    public static func builtIn() throws -> DemoMarketplace {
        let url = Bundle.module.bundleURL.appendingPathComponent("Demo/demo.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigurationError("the demo data is missing (expected \(url.path) beside the executable)")
        }
        do {
            return try JSONDecoder().decode(DemoMarketplace.self, from: data)
        } catch {
            throw ConfigurationError("the demo data in \(url.path) is invalid: \(error)")
        }
    }

    /// Writes the demo's conversations into `store` unless it already holds messages.
    /// Returns how many conversations were written.
    @discardableResult
    public func seed(into store: some ConversationStore, clock: any WallClock = SystemWallClock()) async throws -> Int {
        guard try await store.latestPosition() == 0 else { return 0 }
        let roles = Dictionary(users.map { ($0.userId, $0.role) }, uniquingKeysWith: { first, _ in first })
        let now = clock.now().millisecondsSince1970
        func at(_ minutesAgo: Int64) -> Timestamp { Timestamp(millisecondsSince1970: now - minutesAgo * 60_000) }
        // The demo's agents can be assigned from the start, as if each had signed in.
        for user in users where user.role == .support {
            try await store.recordSupportAgent(user.userId, now: clock.now())
        }
        for thread in conversations {
            let participants = try thread.participants.map { userID in
                guard let role = roles[userID], let participantRole = ParticipantRole(rawValue: role.rawValue) else {
                    throw ConfigurationError("demo: \(userID) is not one of the demo's users")
                }
                return Participant(userID: userID, role: participantRole)
            }
            guard let first = thread.messages.first else { throw ConfigurationError("demo: a conversation has no messages") }
            let created = try await store.createConversation(
                NewConversation(
                    conversationID: Identifier.make(prefix: "c"),
                    threadKey: ThreadKey.make(
                        participantIDs: thread.participants, productID: thread.productId, orderID: thread.orderId),
                    participants: participants, productID: thread.productId, orderID: thread.orderId,
                    subject: thread.subject, labels: thread.labels ?? [], priority: thread.priority ?? .medium,
                    now: at(first.minutesAgo), firstMessage: Self.message(first, at: at(first.minutesAgo))))
            let id = created.conversation.conversationID
            for message in thread.messages.dropFirst() {
                var new = Self.message(message, at: at(message.minutesAgo))
                new.conversationID = id
                _ = try await store.appendMessage(new)
            }
            let last = at(thread.messages.last?.minutesAgo ?? first.minutesAgo)
            if let assignee = thread.assignee {
                _ = try await store.updateConversation(id: id, change: .assignee(assignee), now: last)
            }
            if let status = thread.status, status != .open {
                _ = try await store.updateConversation(id: id, change: .status(status), now: last)
            }
            for (userID, seq) in (thread.readBy ?? [:]).sorted(by: { $0.key < $1.key }) {
                _ = try await store.markRead(conversationID: id, userID: userID, seq: seq, now: last)
            }
            for userID in thread.archivedFor ?? [] {
                try await store.setArchived(conversationID: id, userID: userID, archived: true)
            }
        }
        return conversations.count
    }

    private static func message(_ message: DemoMessage, at time: Timestamp) -> NewMessage {
        NewMessage(
            messageID: Identifier.make(prefix: "m"), conversationID: "", senderID: message.from, content: message.text,
            type: .text, clientMessageID: nil, now: time)
    }
}

/// Seeds the demo once the store's writer runs, then stays out of the way.
public struct DemoSeeder<Store: ConversationStore>: Service {
    let demo: DemoMarketplace
    let store: Store
    let logger: Logger

    public init(demo: DemoMarketplace, store: Store, logger: Logger) {
        self.demo = demo
        self.store = store
        self.logger = logger
    }

    public func run() async throws {
        do {
            let count = try await demo.seed(into: store)
            if count > 0 {
                logger.notice("--demo: seeded \(count) conversations of the demo marketplace")
            } else {
                logger.notice("--demo: the database already has messages; the demo was not seeded again")
            }
        } catch {
            logger.error("--demo: seeding failed: \(error)")
        }
        try? await gracefulShutdown()
    }
}
