/// Decoded pixels in memory, 8 bits a channel, rows packed: 3 channels (RGB) or 4
/// (RGBA, not premultiplied). What orientation and thumbnailing work on.
struct PixelImage: Sendable {
    var width: Int
    var height: Int
    var channels: Int
    var pixels: [UInt8]

    /// Whether every pixel is fully opaque (always so without an alpha channel).
    var isOpaque: Bool {
        guard channels == 4 else { return true }
        return pixels.withUnsafeBufferPointer { buffer in
            var index = 3
            while index < buffer.count {
                if buffer[index] != 255 { return false }
                index += 4
            }
            return true
        }
    }

    /// The RGB channels only.
    func droppingAlpha() -> PixelImage {
        guard channels == 4 else { return self }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        pixels.withUnsafeBufferPointer { source in
            rgb.withUnsafeMutableBufferPointer { target in
                for pixel in 0..<(width * height) {
                    target[pixel * 3] = source[pixel * 4]
                    target[pixel * 3 + 1] = source[pixel * 4 + 1]
                    target[pixel * 3 + 2] = source[pixel * 4 + 2]
                }
            }
        }
        return PixelImage(width: width, height: height, channels: 3, pixels: rgb)
    }

    /// The image turned upright as `orientation` says (sides swapped for 5 to 8).
    func oriented(_ orientation: ImageOrientation) -> PixelImage {
        guard orientation != .up else { return self }
        let (targetWidth, targetHeight) = orientation.swapsSides ? (height, width) : (width, height)
        var result = [UInt8](repeating: 0, count: pixels.count)
        let channels = self.channels
        pixels.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                var targetIndex = 0
                for y in 0..<targetHeight {
                    // Along a target row the source moves by a constant step: one
                    // lookup a row instead of one a pixel.
                    let first = orientation.sourcePixel(x: 0, y: y, width: width, height: height)
                    var sourcePixel = first.y * width + first.x
                    var step = 0
                    if targetWidth > 1 {
                        let second = orientation.sourcePixel(x: 1, y: y, width: width, height: height)
                        step = (second.y * width + second.x) - sourcePixel
                    }
                    for _ in 0..<targetWidth {
                        let sourceIndex = sourcePixel * channels
                        for channel in 0..<channels { target[targetIndex + channel] = source[sourceIndex + channel] }
                        targetIndex += channels
                        sourcePixel += step
                    }
                }
            }
        }
        return PixelImage(width: targetWidth, height: targetHeight, channels: channels, pixels: result)
    }

    /// The size that fits `side` on the longest side, keeping the aspect ratio, never larger than now.
    static func fittedSize(width: Int, height: Int, side: Int) -> (width: Int, height: Int) {
        let longest = max(width, height)
        guard longest > side else { return (width, height) }
        if width >= height { return (side, max(1, (height * side + width / 2) / width)) }
        return (max(1, (width * side + height / 2) / height), side)
    }

    /// Shrunk by area averaging (each target pixel the mean of the source pixels it
    /// covers; colour weighted by alpha, so transparent pixels do not darken edges).
    func resized(toFitSide side: Int) -> PixelImage {
        let (targetWidth, targetHeight) = Self.fittedSize(width: width, height: height, side: side)
        guard targetWidth != width || targetHeight != height else { return self }
        let channels = self.channels
        let width = self.width
        let height = self.height
        let columns = (0..<targetWidth).map { x in (x * width / targetWidth, max(x * width / targetWidth + 1, (x + 1) * width / targetWidth)) }
        let rows = (0..<targetHeight).map { y in (y * height / targetHeight, max(y * height / targetHeight + 1, (y + 1) * height / targetHeight)) }
        var result = [UInt8](repeating: 0, count: targetWidth * targetHeight * channels)
        pixels.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                var targetIndex = 0
                for (top, bottom) in rows {
                    for (left, right) in columns {
                        var red = 0
                        var green = 0
                        var blue = 0
                        var alpha = 0
                        for y in top..<bottom {
                            var index = (y * width + left) * channels
                            for _ in left..<right {
                                let weight = channels == 4 ? Int(source[index + 3]) : 1
                                red += Int(source[index]) * weight
                                green += Int(source[index + 1]) * weight
                                blue += Int(source[index + 2]) * weight
                                alpha += weight
                                index += channels
                            }
                        }
                        let count = (bottom - top) * (right - left)
                        if channels == 4 {
                            if alpha > 0 {
                                target[targetIndex] = UInt8((red + alpha / 2) / alpha)
                                target[targetIndex + 1] = UInt8((green + alpha / 2) / alpha)
                                target[targetIndex + 2] = UInt8((blue + alpha / 2) / alpha)
                            }
                            target[targetIndex + 3] = UInt8((alpha + count / 2) / count)
                        } else {
                            target[targetIndex] = UInt8((red + count / 2) / count)
                            target[targetIndex + 1] = UInt8((green + count / 2) / count)
                            target[targetIndex + 2] = UInt8((blue + count / 2) / count)
                        }
                        targetIndex += channels
                    }
                }
            }
        }
        return PixelImage(width: targetWidth, height: targetHeight, channels: channels, pixels: result)
    }
}
