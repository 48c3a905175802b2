/// What a form-data part says about itself (RFC 7578 §4.2 and §4.4).
///
/// The values are as the client sent them, with the quoting undone: a `filename` may be
/// any text (a Windows path from an old browser, a name with `/` or `..`), so whoever
/// stores or shows it must sanitise it. None contains CR, LF or NUL.
public struct MultipartPartHeaders: Equatable, Sendable {
    /// The form field's name (`name=` of `Content-Disposition`); nil when absent.
    public var name: String?
    /// The file's name: `filename*=` (RFC 5987, UTF-8 or ISO-8859-1) when present and
    /// valid, else `filename=`. Nil for a field that is not a file; `""` for a file input
    /// with no file chosen, which browsers send as an empty part.
    public var filename: String?
    /// The part's `Content-Type` as declared (trimmed); nil when absent.
    public var contentType: String?

    public init(name: String? = nil, filename: String? = nil, contentType: String? = nil) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
    }
}
