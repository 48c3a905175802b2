import GRDB

/// `WHERE` conditions and their bound arguments, built up filter by filter. Values are
/// always bound, never written into the SQL.
struct SQLFilter {
    var conditions: [String] = []
    var arguments: StatementArguments = []

    /// Adds `condition` (with one `?`) bound to `value`, when there is a value.
    mutating func add(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
        guard let value else { return }
        conditions.append(condition)
        arguments += [value]
    }
}
