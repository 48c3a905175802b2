import ParleyCore

/// A message the writer appends together with the others of its batch
/// (`PostgresConversationStore.appendAll`), with the permission check to run on the
/// conversation as the batch finds it, under the conversation's lock.
struct BatchedAppend: Sendable {
    var request: NewMessage
    var authorize: (@Sendable (Conversation) throws -> Void)?
}
