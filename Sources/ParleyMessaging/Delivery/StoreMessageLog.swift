import ParleyCore
import ParleyRealtime

/// The store as the hub's log of messages: what a node reads when a live `message.new`
/// is late or lost (see `MessageSequencer`), as the deliveries it would have received.
public struct StoreMessageLog: MessageLog {
    let store: any ConversationStore

    public init(store: any ConversationStore) {
        self.store = store
    }

    public func latestPosition() async throws -> Int64 {
        try await store.latestPosition()
    }

    public func deliveries(in range: ClosedRange<Int64>, limit: Int) async throws -> [(position: Int64, delivery: Delivery)] {
        var conversations: [String: Conversation] = [:]
        var deliveries: [(position: Int64, delivery: Delivery)] = []
        for positioned in try await store.messages(inPositions: range, limit: limit) {
            let id = positioned.message.conversationID
            if conversations[id] == nil { conversations[id] = try await store.conversation(id: id) }
            guard let conversation = conversations[id] else { continue }
            deliveries.append(
                (positioned.position, Audience.delivery(of: positioned.message, at: positioned.position, in: conversation)))
        }
        return deliveries
    }
}
