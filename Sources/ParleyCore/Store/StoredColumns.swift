import Foundation

/// A row as a store read it, by column name: the shared records (`TemplateRecord`,
/// `FAQEntryRecord`) and the notification types (`Webhook(columns:)`,
/// `WebhookDelivery(columns:)`, `PushSubscription(columns:)`, `OutboxItem(columns:)`) read
/// their values through it, so each store only says how one column of each kind is
/// decoded. Every method throws `StoredValueError` for a missing, NULL (where a value is
/// required) or mistyped column; `row` names the row in it.
public protocol StoredColumns {
    func text(_ column: String, of table: String, row: String) throws(StoredValueError) -> String
    func optionalText(_ column: String, of table: String, row: String) throws(StoredValueError) -> String?
    /// An integer column of any width the schemas use (SQLite's INTEGER, PostgreSQL's INT
    /// and BIGINT), widened.
    func integer(_ column: String, of table: String, row: String) throws(StoredValueError) -> Int64
    func optionalInteger(_ column: String, of table: String, row: String) throws(StoredValueError) -> Int64?
    func boolean(_ column: String, of table: String, row: String) throws(StoredValueError) -> Bool
    func optionalBytes(_ column: String, of table: String, row: String) throws(StoredValueError) -> Data?
}
