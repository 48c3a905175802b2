import PostgresNIO

/// A conversation looked up by id with a prepared statement (the writer's hot path:
/// parsed and planned once per connection), decoded by column name.
protocol ConversationByID: PostgresPreparedStatement where Row == Columns {
    var id: String { get }
}

extension ConversationByID {
    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Columns { Columns(row) }
}
