extension RawRepresentable where RawValue == String {
    /// The value a store kept as its raw text, or `StoredValueError` when no case has it
    /// (instead of a default standing in for it).
    init(stored text: String, column: String, row: @autoclosure () -> String) throws(StoredValueError) {
        guard let value = Self(rawValue: text) else { throw StoredValueError(column: column, row: row(), value: text) }
        self = value
    }
}
