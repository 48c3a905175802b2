/// What a `MultipartReader` reads from a `multipart/form-data` body, in order: for each
/// part a `partStart`, its body as zero or more `body` chunks, and a `partEnd`.
public enum MultipartEvent: Equatable, Sendable {
    /// A part begins; its headers are complete.
    case partStart(MultipartPartHeaders)
    /// The next bytes of the current part's body (never empty). How a body is cut into
    /// chunks depends on how the request arrived; only their concatenation is meaningful.
    case body([UInt8])
    /// The current part's body is complete.
    case partEnd
}
