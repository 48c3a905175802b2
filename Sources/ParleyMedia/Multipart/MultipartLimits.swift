/// The bounds a `MultipartReader` enforces. Part bodies are not bounded here: they are
/// streamed to the caller, which bounds the size of what it keeps.
public struct MultipartLimits: Equatable, Sendable {
    /// A part's header block is held whole until its blank line arrives, so it needs a
    /// bound. A browser's part headers are about 100 bytes plus the file name (255 bytes
    /// on most file systems, a few times that once written as UTF-8 or escaped); 8 KiB is
    /// the per-line bound HTTP servers commonly use, and far above anything legitimate.
    public static let defaultMaxHeaderBytes = 8 * 1024
    /// An attachment upload has one part named `file` and perhaps a few small fields a
    /// client adds; 16 leaves room for those while bounding the per-part work (header
    /// parsing, events) a request can cause.
    public static let defaultMaxParts = 16

    /// Bytes per part from the end of its boundary line's `--boundary` to the end of the
    /// blank line that closes its headers, transport padding and line breaks included.
    public var maxHeaderBytes: Int
    /// Parts per body.
    public var maxParts: Int

    public init(maxHeaderBytes: Int = MultipartLimits.defaultMaxHeaderBytes, maxParts: Int = MultipartLimits.defaultMaxParts) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxParts = maxParts
    }
}
