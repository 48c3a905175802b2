import Foundation
import Logging
import ParleyCore
import PostgresNIO

/// SQL text with its bound values, built up piece by piece. Values are always bound
/// (`$n`), never written into the SQL.
struct SQL {
    var text: String
    var binds = PostgresBindings()

    init(_ text: String = "") { self.text = text }

    /// Binds `value` and returns its placeholder.
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Binds `value` (or NULL) and returns its placeholder.
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value?) -> String {
        if let value { binds.append(value) } else { binds.appendNull() }
        return "$\(binds.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: text, binds: binds) }
}

/// A row read by column name.
struct Columns {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    subscript<Value: PostgresDecodable>(_ name: String, as type: Value.Type = Value.self) -> Value {
        get throws { try row[name].decode(Value.self) }
    }
}

extension PostgresRowSequence {
    /// Every row, read by column name.
    func all() async throws -> [Columns] {
        var rows: [Columns] = []
        for try await row in self { rows.append(Columns(row)) }
        return rows
    }
}

enum PostgresErrors {
    /// The store's errors as the API speaks them: a broken or unreachable database is
    /// `unavailable` (503); a missing referenced row is `notFound`.
    static func map(_ error: any Error, logger: Logger) -> any Error {
        if let error = error as? ParleyError { return error }
        if error is CancellationError { return error }
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] {
            if state == "23503" { return ParleyError.notFound(what: "conversation") }
            if state == "23505" { return ParleyError.conflict(reason: "a concurrent request wrote the same thing; retry") }
            if state.hasPrefix("22") {
                return ParleyError.invalid(field: "request", reason: "holds a value the database cannot store")
            }
            if state == "57014" || state == "55P03" {
                return ParleyError.unavailable(reason: "the database is too busy; retry")
            }
            logger.error("database error", metadata: ["sqlState": "\(state)", "message": "\(error.serverInfo?[.message] ?? "")"])
            return ParleyError.unavailable(reason: "the database refused the operation")
        }
        logger.warning("database unreachable", metadata: ["error": "\(String(reflecting: error))"])
        return ParleyError.unavailable(reason: "the database is not answering")
    }
}

/// Runs `operation`, or gives up with `unavailable` after `limit` (a database that is
/// down would otherwise keep a request waiting for a connection).
func withDeadline<Value: Sendable>(
    _ limit: Duration, _ operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    try await withThrowingTaskGroup(of: Value.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw ParleyError.unavailable(reason: "the database did not answer in time")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
