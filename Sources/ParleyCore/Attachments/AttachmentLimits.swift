/// The contract's numbers for attachments, named once.
public enum AttachmentLimits {
    /// `--max-attachment-bytes`' default: 25 MiB, what phone photos and PDF invoices need.
    public static let defaultMaxBytes = 25 * 1024 * 1024
    /// Unsent uploads are removed after 24 hours.
    public static let unsentLifetimeMilliseconds: Int64 = 24 * 60 * 60 * 1000
    /// A signed link works for 5 minutes: long enough to load an image or start a download,
    /// short enough that a link copied out of a page is soon worthless.
    public static let linkLifetimeMilliseconds: Int64 = 5 * 60 * 1000
    /// A file name keeps at most this many bytes of UTF-8 (longer names are cut at a
    /// character boundary, keeping the extension).
    public static let maxNameBytes = 255
}
