/// Which bytes of an attachment a download asks for.
public enum AttachmentVariant: Sendable {
    /// What was uploaded (cleaned, for images).
    case original
    /// The image's thumbnail (404 for files).
    case thumbnail
}
