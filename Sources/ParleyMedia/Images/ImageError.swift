/// Why an upload declared (or sniffed) as an image is refused.
public enum ImageError: Error, Sendable, Equatable {
    /// The bytes do not decode as that format (truncated, corrupt, or another format).
    case notThatImage(ImageFormat)
    /// The header names more pixels or a longer side than `ImageLimits` allow; nothing was decoded.
    case tooLarge(width: Int, height: Int)
    /// A valid image of a kind this server does not handle (a lossless or 12-bit JPEG).
    case unsupported(String)
}
