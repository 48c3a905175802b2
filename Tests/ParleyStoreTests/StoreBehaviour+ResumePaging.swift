import ParleyCore
import Testing

/// Resume pages (`messages(after:visibleTo:limit:)`): keyset pages by position that
/// neither skip nor repeat, whichever way the store reads them (a quiet user's few
/// conversations through their index, or a long history walked by position).
extension StoreBehaviour {
    static func pagesByPositionCoverALongBacklogExactlyOnceAndOnlyWhatTheUserSees(_ store: any ConversationStore) async throws {
        let mine = try await store.createConversation(Make.conversation()).conversation.conversationID
        let alsoMine = try await store.createConversation(Make.conversation(orderID: "o2")).conversation.conversationID
        let notMine = try await store.createConversation(Make.conversation([("buyer2", .buyer), ("seller1", .seller)]))
            .conversation.conversationID
        // More than the store's indexed-history threshold (5,000), so the walk is used.
        var expected: [String] = []
        for batch in stride(from: 0, to: 5_400, by: 300) {
            let written = try await withThrowingTaskGroup(of: (Int, String, Bool).self) { group in
                for index in batch..<(batch + 300) {
                    let conversation = [mine, alsoMine, notMine][index % 3]
                    group.addTask {
                        let result = try await store.appendMessage(Make.message(conversation, from: "seller1", "m\(index)"))
                        return (Int(result.position), result.message.messageID, conversation != notMine)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            expected += written.sorted { $0.0 < $1.0 }.filter(\.2).map(\.1)
        }
        var position: Int64 = 0
        var seen: [String] = []
        var pages = 0
        while true {
            let page = try await store.messages(after: position, visibleTo: "buyer1", limit: 500)
            pages += 1
            seen += page.map(\.message.messageID)
            if let last = page.last {
                #expect(last.position > position)
                position = last.position
            }
            if page.count < 500 { break }
        }
        #expect(seen == expected)
        #expect(pages == expected.count / 500 + 1)
        // A quiet user (few, short conversations) after the same cursor: the other path.
        let quiet = try await store.createConversation(Make.conversation([("buyer3", .buyer), ("seller3", .seller)]))
            .conversation.conversationID
        let latest = try await store.appendMessage(Make.message(quiet, from: "seller3", "hola"))
        let quietPage = try await store.messages(after: latest.position - 1, visibleTo: "buyer3", limit: 500)
        #expect(quietPage.map(\.message.messageID) == [latest.message.messageID])
        #expect(try await store.messages(after: latest.position, visibleTo: "buyer3", limit: 500).isEmpty)
    }
}
