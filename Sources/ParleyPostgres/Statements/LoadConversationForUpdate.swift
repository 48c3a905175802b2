/// A conversation by id, locking its row until the transaction ends (its `seq`).
struct LoadConversationForUpdate: ConversationByID {
    static let name = "parley_load_conversation_for_update"
    static let sql = ConversationSelect.byID + " FOR UPDATE OF c"
    var id: String
}
