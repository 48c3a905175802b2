/// A conversation by id (`ConversationSelect`).
struct LoadConversation: ConversationByID {
    static let name = "parley_load_conversation"
    static let sql = ConversationSelect.byID
    var id: String
}
