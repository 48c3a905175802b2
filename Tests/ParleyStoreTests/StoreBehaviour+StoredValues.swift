import ParleyCore
import Testing

/// Stored values no version of Parley writes (damaged data, or rows written by hand).
extension StoreBehaviour {
    /// Every read and write that meets one throws `StoredValueError` naming the column,
    /// instead of showing a default in its place (an unknown role read as `buyer`).
    static func aStoredValueNoVersionWritesIsAnErrorNotADefault(
        _ store: any ConversationStore, _ damage: StoreKind.RawSQL
    ) async throws {
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        _ = try await store.appendMessage(Make.message(id, "hola"))
        let inbox = ConversationQuery(viewerID: "seller1", viewerSeesEverything: false)

        try await damage("UPDATE participants SET role = 'wizard' WHERE user_id = 'buyer1'")
        let role = await #expect(throws: StoredValueError.self) { try await store.conversation(id: id) }
        #expect(role?.column == "participants.role")
        #expect(role?.value == "wizard")
        await #expect(throws: StoredValueError.self) { try await store.listConversations(inbox) }
        await #expect(throws: StoredValueError.self) { try await store.conversationView(id: id, for: "seller1") }
        // A write that reads the damaged conversation fails alone; nothing is written.
        await #expect(throws: StoredValueError.self) { try await store.appendMessage(Make.message(id, "otra")) }
        try await damage("UPDATE participants SET role = 'buyer' WHERE user_id = 'buyer1'")
        #expect(try await store.conversation(id: id)?.lastSeq == 1)

        for (sql, column) in [
            ("UPDATE conversations SET status = 'snoozed'", "conversations.status"),
            ("UPDATE conversations SET priority = 'urgent'", "conversations.priority"),
            (#"UPDATE conversations SET labels = '{"not": "a list"}'"#, "conversations.labels"),
        ] {
            try await damage(sql)
            let error = await #expect(throws: StoredValueError.self) { try await store.conversation(id: id) }
            #expect(error?.column == column)
            try await damage("UPDATE conversations SET status = 'open', priority = 'medium', labels = '[]'")
        }
        #expect(try await store.conversation(id: id)?.status == .open)

        try await damage("UPDATE messages SET type = 'hologram'")
        let type = await #expect(throws: StoredValueError.self) {
            try await store.messages(conversationID: id, page: .init(anchor: .newest, limit: 10))
        }
        #expect(type?.column == "messages.type")
        await #expect(throws: StoredValueError.self) { try await store.messages(after: 0, visibleTo: "buyer1", limit: 10) }
        await #expect(throws: StoredValueError.self) {
            try await store.search(
                SearchQuery(viewerID: "buyer1", viewerSeesEverything: false, terms: TextAnalyzer.queryTerms("hola")))
        }
    }
}
