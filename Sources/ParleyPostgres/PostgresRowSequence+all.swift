import PostgresNIO

extension PostgresRowSequence {
    /// Every row, read by column name.
    func all() async throws -> [Columns] {
        var rows: [Columns] = []
        for try await row in self { rows.append(Columns(row)) }
        return rows
    }
}
