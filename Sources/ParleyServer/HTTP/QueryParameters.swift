import Hummingbird
import ParleyCore

/// Typed reads of query parameters, each failure naming the parameter.
struct QueryParameters {
    let request: Request

    func string(_ name: String) throws(ParleyError) -> String? {
        guard let value = request.uri.queryParameters.get(name) else { return nil }
        if value.isEmpty { throw .invalid(field: name, reason: "must not be empty") }
        if value.utf8.count > Limits.maxExternalIDBytes * 4 { throw .invalid(field: name, reason: "too long") }
        return value
    }

    /// An id filter (user, conversation, product or order id): at most 128 bytes of UTF-8,
    /// as ids are everywhere.
    func id(_ name: String) throws(ParleyError) -> String? {
        guard let value = try string(name) else { return nil }
        try Validation.externalID(value, field: name)
        return value
    }

    /// A label filter: at most 64 bytes of UTF-8, as labels are.
    func label(_ name: String) throws(ParleyError) -> String? {
        guard let value = try string(name) else { return nil }
        return try Validation.label(value, field: name)
    }

    func integer(_ name: String) throws(ParleyError) -> Int64? {
        guard let text = try string(name) else { return nil }
        guard let value = Int64(text) else { throw .invalid(field: name, reason: "must be a whole number") }
        return value
    }

    func boolean(_ name: String) throws(ParleyError) -> Bool? {
        guard let text = try string(name) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw .invalid(field: name, reason: "must be true or false")
        }
    }

    func choice<T: RawRepresentable>(_ name: String, as type: T.Type) throws(ParleyError) -> T?
    where T.RawValue == String, T: CaseIterable {
        guard let text = try string(name) else { return nil }
        guard let value = T(rawValue: text) else {
            throw .invalid(field: name, reason: "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// An RFC 3339 time.
    func time(_ name: String) throws(ParleyError) -> Timestamp? {
        guard let text = try string(name) else { return nil }
        guard let time = Timestamp(rfc3339: text) else {
            throw .invalid(field: name, reason: "must be an RFC 3339 time such as 2026-11-24T10:15:30.123Z")
        }
        return time
    }

    func pageLimit(default defaultValue: Int, maximum: Int) throws(ParleyError) -> Int {
        let value = try integer("limit")
        return try Validation.pageLimit(value.map { Int(clamping: $0) }, default: defaultValue, maximum: maximum)
    }
}
