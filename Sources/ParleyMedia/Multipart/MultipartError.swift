/// Why a `multipart/form-data` body was refused. Every case is the client's fault (a
/// `400`, or `413` for the limits); the message of `malformed` is fixed text, never
/// request bytes, so it can be shown to the client as it is.
public enum MultipartError: Error, Equatable, Sendable {
    /// The body does not follow RFC 2046 / RFC 7578 (see the message).
    case malformed(String)
    /// More parts than `MultipartLimits.maxParts`.
    case tooManyParts
    /// A part's header block (with the transport padding before it) is longer than
    /// `MultipartLimits.maxHeaderBytes`.
    case headerTooLarge
    /// The body ended before the closing boundary (`--boundary--`): a cut-off upload.
    case missingClosingBoundary
}
