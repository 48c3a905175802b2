/// An image as the server stores and serves it: metadata removed, orientation applied,
/// and its thumbnail.
public struct CleanedImage: Sendable {
    /// The bytes to store and serve, in `format`.
    public var bytes: [UInt8]
    public var format: ImageFormat
    /// The served image's size (after the EXIF orientation is applied).
    public var width: Int
    public var height: Int
    /// Longest side at most `ImageLimits.thumbnailSide`; nil when it cannot be made
    /// (an animated WebP, or libwebp missing).
    public var thumbnail: [UInt8]?
    /// JPEG for opaque images, PNG when transparency must survive.
    public var thumbnailFormat: ImageFormat?
}
