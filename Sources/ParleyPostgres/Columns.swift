import Foundation
import ParleyCore
import PostgresNIO

/// A row read by column name.
struct Columns {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    subscript<Value: PostgresDecodable>(_ name: String, as type: Value.Type = Value.self) -> Value {
        get throws { try row[name].decode(Value.self) }
    }

    /// The value of `column`, or `StoredValueError` when it is missing, NULL or of another
    /// type.
    func stored<Value: PostgresDecodable>(
        _ column: String, of table: String, row key: @autoclosure () -> String = "a row"
    ) throws(StoredValueError) -> Value {
        do {
            guard row.contains(column) else { throw PostgresDecodingError.Code.missingData }
            return try row[column].decode(Value.self)
        } catch {
            throw StoredValueError(column: "\(table).\(column)", row: key(), value: describe(column))
        }
    }

    /// What `column` holds, for an error message: text as it is, other types by name.
    private func describe(_ column: String) -> String {
        guard row.contains(column) else { return "(no such column)" }
        let cell = row[column]
        guard let bytes = cell.bytes else { return "NULL" }
        if cell.dataType == .text || cell.dataType == .varchar { return String(buffer: bytes) }
        return "(a value of type \(cell.dataType))"
    }
}

extension Columns: StoredColumns {
    func text(_ column: String, of table: String, row: String) throws(StoredValueError) -> String {
        try stored(column, of: table, row: row)
    }

    func optionalText(_ column: String, of table: String, row: String) throws(StoredValueError) -> String? {
        try stored(column, of: table, row: row)
    }

    // postgres-nio decodes an `Int64` from INT2, INT4 and INT8 alike: the INT columns
    // (`outbox.attempts`, `webhook_deliveries.attempt` and `status`) read as they are.
    func integer(_ column: String, of table: String, row: String) throws(StoredValueError) -> Int64 {
        try stored(column, of: table, row: row)
    }

    func optionalInteger(_ column: String, of table: String, row: String) throws(StoredValueError) -> Int64? {
        try stored(column, of: table, row: row)
    }

    func boolean(_ column: String, of table: String, row: String) throws(StoredValueError) -> Bool {
        try stored(column, of: table, row: row)
    }

    func optionalBytes(_ column: String, of table: String, row: String) throws(StoredValueError) -> Data? {
        try stored(column, of: table, row: row)
    }
}
