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
    /// Uploads one user may have waiting to be sent: a message needs one, a busy client a
    /// few; more is someone filling the disk with bytes nobody will see.
    public static let maxUnsentUploadsPerUser = 50
    /// Their bytes together: ten uploads of the default largest size.
    public static let maxUnsentBytesPerUser: Int64 = 10 * Int64(defaultMaxBytes)
    /// An upload's body must keep arriving: this long without a byte closes the
    /// connection (the contract gives request heads 30 s; a body gets the same).
    public static let uploadIdleTimeout: Duration = .seconds(30)
    /// What a `multipart/form-data` body may carry beyond the file itself: part headers,
    /// boundaries, small fields.
    public static let multipartOverheadBytes = 64 * 1024
}
