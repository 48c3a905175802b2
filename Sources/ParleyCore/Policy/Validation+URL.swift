import Foundation

extension Validation {
    /// An absolute `http://` or `https://` URL with a host, no user name or password, of
    /// at most `Limits.maxURLBytes` (webhook receivers, help-desk ticket links).
    public static func httpURL(_ value: String, field: String) throws(ParleyError) {
        guard value.utf8.count <= Limits.maxURLBytes else {
            throw .invalid(field: field, reason: "longer than \(Limits.maxURLBytes) bytes")
        }
        guard let parsed = URLComponents(string: value), let scheme = parsed.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = parsed.host, !host.isEmpty
        else { throw .invalid(field: field, reason: "must be an absolute http:// or https:// URL") }
        guard parsed.user == nil, parsed.password == nil else {
            throw .invalid(field: field, reason: "must not carry a user name or password")
        }
    }
}
