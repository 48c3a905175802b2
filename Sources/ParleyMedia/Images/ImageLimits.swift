/// The bounds an image must stay within to be decoded at all, and the thumbnail size.
public struct ImageLimits: Sendable {
    /// Why: a 12 MP phone photo is 12M pixels; 50M bounds decode memory to about 200 MB
    /// of RGBA (decompression bombs declare huge sizes in a few bytes of header).
    public var maxPixels: Int = 50_000_000
    /// Why: no photo is 20,000 px on a side; a 1 x 50M strip would pass `maxPixels` but
    /// makes row buffers and thumbnails degenerate.
    public var maxSide: Int = 20_000
    /// The contract's thumbnail: longest side at most 320 px, never enlarged.
    public var thumbnailSide: Int = 320

    public init() {}
}
