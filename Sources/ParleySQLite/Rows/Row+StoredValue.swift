import Foundation
import GRDB
import ParleyCore

extension Row {
    /// The value of `column`, or `StoredValueError` when it is missing, NULL or of another
    /// type (GRDB's `row[column]` would stop the process instead).
    func stored<Value: DatabaseValueConvertible & StatementColumnConvertible>(
        _ column: String, of table: String, row key: @autoclosure () -> String = "a row"
    ) throws(StoredValueError) -> Value {
        do {
            return try decode(Value.self, forColumn: column)
        } catch {
            let value: DatabaseValue = hasColumn(column) ? self[column] : .null
            throw StoredValueError(column: "\(table).\(column)", row: key(), value: value.description)
        }
    }
}

extension Row: StoredColumns {
    public func text(_ column: String, of table: String, row: String) throws(StoredValueError) -> String {
        try stored(column, of: table, row: row)
    }

    public func optionalText(_ column: String, of table: String, row: String) throws(StoredValueError) -> String? {
        try stored(column, of: table, row: row)
    }

    public func integer(_ column: String, of table: String, row: String) throws(StoredValueError) -> Int64 {
        try stored(column, of: table, row: row)
    }

    public func optionalInteger(_ column: String, of table: String, row: String) throws(StoredValueError) -> Int64? {
        try stored(column, of: table, row: row)
    }

    public func boolean(_ column: String, of table: String, row: String) throws(StoredValueError) -> Bool {
        try stored(column, of: table, row: row)
    }

    public func optionalBytes(_ column: String, of table: String, row: String) throws(StoredValueError) -> Data? {
        try stored(column, of: table, row: row)
    }
}
