@testable import ParleyMedia

/// Images built in the tests: real ones through our encoders, and hand-made headers
/// (bombs, garbage) byte by byte.
enum TestImages {
    /// A JPEG of `width` x `height` with a diagonal gradient, through libjpeg.
    static func jpeg(width: Int, height: Int, quality: Int = 85) throws -> [UInt8] {
        try NativeCodec.encodeJPEG(gradient(width: width, height: height), quality: quality)
    }

    /// An opaque RGB PNG, through libpng.
    static func opaquePNG(width: Int, height: Int) throws -> [UInt8] {
        try NativeCodec.encodePNG(gradient(width: width, height: height))
    }

    static func gradient(width: Int, height: Int) -> PixelImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let index = (y * width + x) * 3
                pixels[index] = UInt8(x * 255 / max(width - 1, 1))
                pixels[index + 1] = UInt8(y * 255 / max(height - 1, 1))
                pixels[index + 2] = 128
            }
        }
        return PixelImage(width: width, height: height, channels: 3, pixels: pixels)
    }

    /// A PNG whose IHDR says `width` x `height` (8-bit RGB), with `imageData` as its only IDAT.
    static func png(width: Int, height: Int, imageData: [UInt8]) -> [UInt8] {
        var header = bigEndian32(width) + bigEndian32(height)
        header += [8, 2, 0, 0, 0]
        return PNGStructure.signature + pngChunk("IHDR", header) + pngChunk("IDAT", imageData) + pngChunk("IEND", [])
    }

    /// A baseline JPEG header claiming `width` x `height`, with a token scan: only its
    /// header is meaningful.
    static func jpegHeader(width: Int, height: Int) -> [UInt8] {
        let frame: [UInt8] = [0xFF, 0xC0, 0x00, 0x0B, 8] + bigEndian16(height) + bigEndian16(width) + [1, 1, 0x11, 0]
        let scan: [UInt8] = [0xFF, 0xDA, 0x00, 0x08, 1, 1, 0x00, 0, 63, 0]
        return [0xFF, 0xD8] + frame + scan + [0x12, 0x34, 0xFF, 0x00, 0x56] + [0xFF, 0xD9]
    }

    /// A GIF with a `screenWidth` x `screenHeight` screen and one frame of the given size.
    static func gif(screenWidth: Int, screenHeight: Int, frameWidth: Int, frameHeight: Int) -> [UInt8] {
        var bytes = Array("GIF89a".utf8) + littleEndian16(screenWidth) + littleEndian16(screenHeight) + [0x80, 0, 0]
        bytes += [0, 0, 0, 255, 255, 255]
        bytes += [0x2C, 0, 0, 0, 0] + littleEndian16(frameWidth) + littleEndian16(frameHeight) + [0]
        bytes += [2, 2, 0x4C, 0x01, 0, 0x3B]
        return bytes
    }

    /// A WebP whose VP8X canvas is `width` x `height`, followed by a real VP8 chunk cut to
    /// `vp8Length` bytes of payload (all of it when nil) from `source`.
    static func webp(canvasWidth width: Int, height: Int, vp8From source: [UInt8], vp8Length: Int? = nil) -> [UInt8] {
        let reader = ByteReader(bytes: source)
        var index = 12
        var vp8: [UInt8] = []
        while let length = reader.uint32LittleEndian(at: index + 4) {
            if reader.matches(Array("VP8 ".utf8), at: index) {
                let kept = min(length, vp8Length ?? length)
                vp8 = Array("VP8 ".utf8) + littleEndian32(kept) + Array(source[(index + 8)..<(index + 8 + kept)])
                if kept % 2 == 1 { vp8.append(0) }
                break
            }
            index += 8 + length + length % 2
        }
        let vp8x = Array("VP8X".utf8) + littleEndian32(10) + [0, 0, 0, 0] + littleEndian24(width - 1) + littleEndian24(height - 1)
        let body = Array("WEBP".utf8) + vp8x + vp8
        return Array("RIFF".utf8) + littleEndian32(body.count) + body
    }

    private static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return bigEndian32(data.count) + typed + bigEndian32(Int(crc32(typed)))
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func bigEndian16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    private static func bigEndian32(_ value: Int) -> [UInt8] { bigEndian16(value >> 16) + bigEndian16(value) }
    private static func littleEndian16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
    private static func littleEndian24(_ value: Int) -> [UInt8] { littleEndian16(value) + [UInt8(value >> 16 & 0xFF)] }
    private static func littleEndian32(_ value: Int) -> [UInt8] { littleEndian16(value) + littleEndian16(value >> 16) }
}
