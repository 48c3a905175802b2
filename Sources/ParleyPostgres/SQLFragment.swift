import PostgresNIO

/// A piece of SQL with its values, written with the same string interpolation as
/// `PostgresQuery` — values are bound (`$n`), never written into the text — and
/// interpolated into one. How a query with optional conditions is put together:
///
/// ```swift
/// var conditions: [SQLFragment] = ["c.created_position <= \(snapshot)"]
/// if let status { conditions.append("c.status = \(status.rawValue)") }
/// let query: PostgresQuery = "SELECT id FROM conversations c WHERE \(conditions, joinedBy: " AND ")"
/// ```
struct SQLFragment: ExpressibleByStringInterpolation {
    fileprivate enum Part {
        case literal(String)
        /// Binds a value where it stands (the closure keeps its type for the encoder).
        case value((inout PostgresQuery.StringInterpolation) -> Void)
    }

    fileprivate var parts: [Part]

    init(stringLiteral value: String) { parts = [.literal(value)] }

    init(stringInterpolation: StringInterpolation) { parts = stringInterpolation.parts }

    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var parts: [Part] = []

        init(literalCapacity: Int, interpolationCount: Int) {}

        mutating func appendLiteral(_ literal: String) { parts.append(.literal(literal)) }

        mutating func appendInterpolation<Value: PostgresDynamicTypeEncodable>(_ value: Value) {
            parts.append(.value { $0.appendInterpolation(value) })
        }

        mutating func appendInterpolation<Value: PostgresDynamicTypeEncodable>(_ value: Value?) {
            parts.append(.value { $0.appendInterpolation(value) })
        }

        /// SQL text of our own (a column list), never a value from a request.
        mutating func appendInterpolation(unescaped text: String) { parts.append(.literal(text)) }

        mutating func appendInterpolation(_ fragment: SQLFragment) { parts += fragment.parts }
    }
}

extension PostgresQuery.StringInterpolation {
    mutating func appendInterpolation(_ fragment: SQLFragment) {
        for part in fragment.parts {
            switch part {
            case .literal(let text): appendLiteral(text)
            case .value(let bind): bind(&self)
            }
        }
    }

    mutating func appendInterpolation(_ fragments: [SQLFragment], joinedBy separator: String) {
        for (index, fragment) in fragments.enumerated() {
            if index > 0 { appendLiteral(separator) }
            appendInterpolation(fragment)
        }
    }
}
