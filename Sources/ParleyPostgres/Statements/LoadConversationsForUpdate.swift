import PostgresNIO

/// Several conversations by id (`ConversationSelect`), locking their rows until the
/// transaction ends: the conversations of a write batch's messages, in one round trip.
/// Locked in id order (rows are locked as the sort hands them out), so two transactions
/// that lock overlapping sets this way wait for each other instead of deadlocking.
struct LoadConversationsForUpdate: PostgresPreparedStatement {
    static let name = "parley_load_conversations_for_update"
    static let sql = ConversationSelect.columns + " WHERE c.id = ANY($1) ORDER BY c.id FOR UPDATE OF c"
    static let bindingDataTypes: [PostgresDataType] = [.textArray]
    typealias Row = Columns
    var ids: [String]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(ids)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Columns { Columns(row) }
}
