/// The EXIF orientation (TIFF tag 0x0112): how the stored pixels must be turned to be
/// shown upright. Raw values are the tag's, 1 to 8.
enum ImageOrientation: Int, Sendable {
    case up = 1
    case upMirrored = 2
    case down = 3
    case downMirrored = 4
    /// Transposed: mirrored along the top-left to bottom-right diagonal.
    case leftMirrored = 5
    /// Stored turned 90° anticlockwise: shown after turning 90° clockwise (portrait phone photos).
    case right = 6
    /// Transversed: mirrored along the top-right to bottom-left diagonal.
    case rightMirrored = 7
    /// Shown after turning 90° anticlockwise.
    case left = 8

    /// Whether the upright image's width is the stored height.
    var swapsSides: Bool { rawValue >= 5 }

    /// The stored pixel shown at (x, y) of the upright image, for a stored image of
    /// `width` x `height`.
    func sourcePixel(x: Int, y: Int, width: Int, height: Int) -> (x: Int, y: Int) {
        switch self {
        case .up: (x, y)
        case .upMirrored: (width - 1 - x, y)
        case .down: (width - 1 - x, height - 1 - y)
        case .downMirrored: (x, height - 1 - y)
        case .leftMirrored: (y, x)
        case .right: (y, height - 1 - x)
        case .rightMirrored: (width - 1 - y, height - 1 - x)
        case .left: (width - 1 - y, x)
        }
    }
}
