import Logging
import ParleyCore
import PostgresNIO

/// The messages of a write batch appended together: the writer's hot path. The batch
/// already holds the position lock; the conversations are locked and loaded in one
/// statement, and every message goes in with one more (`AppendMessages`), so a batch of
/// sends costs two round trips instead of two per send.
extension PostgresConversationStore {
    /// Appends `appends` in order, as `append` would one after the other, and answers each:
    /// a refusal (`ParleyError`, before anything of it is written) fails that message only.
    /// Any other error leaves the transaction unusable: the writer runs the batch again,
    /// one message at a time.
    static func appendAll(
        _ appends: [BatchedAppend], on connection: PostgresConnection, positions: PositionCounter, logger: Logger
    ) async throws -> [Result<AppendMessageResult, ParleyError>] {
        var conversations: [String: Conversation] = [:]
        let ids = Array(Set(appends.map(\.request.conversationID)))
        for try await row in try await connection.execute(LoadConversationsForUpdate(ids: ids), logger: logger) {
            let conversation = try conversation(from: row)
            conversations[conversation.conversationID] = conversation
        }
        let stored = try await storedClientMessages(for: appends.map(\.request), on: connection, logger: logger)
        // What this batch already appended under a client message id (a client retrying
        // before its first send committed gets the first one back).
        var appended: [ClientMessageKey: PositionedMessage] = [:]
        var rows: [AppendMessages.Message] = []
        var results: [Result<AppendMessageResult, ParleyError>] = []
        results.reserveCapacity(appends.count)
        for append in appends {
            guard let conversation = conversations[append.request.conversationID] else {
                results.append(.failure(.notFound(what: "conversation")))
                continue
            }
            do {
                try append.authorize?(conversation)
            } catch let refusal as ParleyError {
                results.append(.failure(refusal))
                continue
            }
            var request = append.request.screened(in: conversation)
            let key = request.clientMessageID.map {
                ClientMessageKey(conversationID: request.conversationID, senderID: request.senderID, clientMessageID: $0)
            }
            if let key {
                var earlier = appended[key]
                if earlier == nil, let row = stored[key] {
                    earlier = try await positionedMessages(from: [row], on: connection, logger: logger).first
                }
                if let earlier {
                    results.append(.success(repeated(earlier, in: conversation)))
                    continue
                }
            }
            do {
                try await claimAttachment(of: &request, on: connection, logger: logger)
            } catch let refusal as ParleyError {
                results.append(.failure(refusal))
                continue
            }
            let plan = MessageAppendPlan(request, to: conversation)
            let position = positions.next()
            rows.append(try AppendMessage(request, plan: plan, position: position))
            let result = AppendMessageResult(
                appended: request, seq: plan.seq, position: position, to: plan.conversation, reopened: plan.reopens)
            // The next message of this batch to the conversation follows this one.
            conversations[request.conversationID] = result.conversation
            if let key { appended[key] = PositionedMessage(message: result.message, position: position) }
            results.append(.success(result))
        }
        if !rows.isEmpty {
            _ = try await connection.execute(AppendMessages(rows, lastPosition: positions.last), logger: logger)
            positions.stored()
        }
        return results
    }

    /// The messages already stored under the client message ids of `requests`, in one query.
    private static func storedClientMessages(
        for requests: [NewMessage], on connection: PostgresConnection, logger: Logger
    ) async throws -> [ClientMessageKey: Columns] {
        let keyed = requests.filter { $0.clientMessageID != nil }
        guard !keyed.isEmpty else { return [:] }
        var stored: [ClientMessageKey: Columns] = [:]
        for row in try await connection.query(
            """
            SELECT \(unescaped: messageColumns) FROM messages m
            JOIN unnest(\(keyed.map(\.conversationID))::text[], \(keyed.map(\.senderID))::text[],
                        \(keyed.map { $0.clientMessageID ?? "" })::text[]) AS k (conversation_id, sender_id, client_message_id)
              ON m.conversation_id = k.conversation_id AND m.sender_id = k.sender_id
             AND m.client_message_id = k.client_message_id
            """, logger: logger
        ).all() {
            let key = ClientMessageKey(
                conversationID: try row.stored("conversation_id", of: "messages"), senderID: try row.stored("sender_id", of: "messages"),
                clientMessageID: try row.stored("client_message_id", of: "messages"))
            stored[key] = row
        }
        return stored
    }

    /// A message as its sender's client names it.
    private struct ClientMessageKey: Hashable {
        var conversationID: String
        var senderID: String
        var clientMessageID: String
    }
}
