import ParleyCore

/// What a download serves: the attachment, the blob with the bytes, and their headers'
/// values.
public struct AttachmentDownload: Sendable {
    public var attachment: Attachment
    public var variant: AttachmentVariant
    public var blobKey: String
    public var contentType: String
    /// Length of the whole blob; for the thumbnail, learnt from the store.
    public var size: Int64?
    /// The strong validator: the sha256 of what is served (`-thumb` for the thumbnail).
    public var entityTag: String {
        variant == .original ? attachment.sha256 : attachment.sha256 + "-thumb"
    }
}
