/// A WebP's RIFF chunks, read without decoding: its canvas size, whether it is animated,
/// and its bytes without the EXIF and XMP chunks (their VP8X flags cleared, the RIFF size
/// fixed). Unknown chunks go too. The EXIF orientation of a WebP is not applied:
/// browsers ignore it as well, so the image is shown as stored either way.
struct WebPStructure {
    var width: Int
    var height: Int
    var isAnimated: Bool
    var stripped: [UInt8]

    private static let keptChunks: Set<String> = ["VP8X", "VP8 ", "VP8L", "ALPH", "ANIM", "ANMF", "ICCP"]
    private static let exifFlag: UInt8 = 0x08
    private static let xmpFlag: UInt8 = 0x04
    private static let animationFlag: UInt8 = 0x02

    static func parse(_ bytes: [UInt8]) throws(ImageError) -> WebPStructure {
        let reader = ByteReader(bytes: bytes)
        let invalid = ImageError.notThatImage(.webp)
        guard reader.matches(Array("RIFF".utf8), at: 0), reader.matches(Array("WEBP".utf8), at: 8),
            let riffSize = reader.uint32LittleEndian(at: 4), riffSize >= 4, reader.contains(8, length: riffSize)
        else { throw invalid }
        let end = 8 + riffSize
        var chunks: [UInt8] = []
        chunks.reserveCapacity(riffSize)
        var size: (width: Int, height: Int)?
        var isAnimated = false
        var index = 12
        var first = true
        while index < end {
            guard reader.contains(index, length: 8), let length = reader.uint32LittleEndian(at: index + 4),
                index + 8 + length <= end
            else { throw invalid }
            let type = String(decoding: bytes[index..<(index + 4)], as: UTF8.self)
            let payload = ByteReader(bytes: Array(bytes[(index + 8)..<(index + 8 + min(length, 16))]))
            if first {
                size = try frameSize(type: type, payload: payload, length: length)
                if type == "VP8X" { isAnimated = payload.uint8(at: 0)! & animationFlag != 0 }
                first = false
            }
            if keptChunks.contains(type) {
                var chunk = Array(bytes[index..<(index + 8 + length)])
                if type == "VP8X" { chunk[8] &= ~(exifFlag | xmpFlag) }
                if length % 2 == 1 { chunk.append(0) }
                chunks.append(contentsOf: chunk)
            }
            // A missing pad byte after the last chunk is tolerated, as libwebp does.
            index += 8 + length + length % 2
        }
        guard let size else { throw invalid }
        var stripped = Array("RIFF".utf8)
        let newSize = UInt32(4 + chunks.count)
        stripped.append(contentsOf: [UInt8(newSize & 0xFF), UInt8(newSize >> 8 & 0xFF), UInt8(newSize >> 16 & 0xFF), UInt8(newSize >> 24)])
        stripped.append(contentsOf: Array("WEBP".utf8))
        stripped.append(contentsOf: chunks)
        return WebPStructure(width: size.width, height: size.height, isAnimated: isAnimated, stripped: stripped)
    }

    /// The canvas size from the first chunk, which the format requires to be VP8X, VP8 or VP8L.
    private static func frameSize(type: String, payload: ByteReader, length: Int) throws(ImageError) -> (Int, Int) {
        let invalid = ImageError.notThatImage(.webp)
        switch type {
        case "VP8X":
            guard length >= 10, let width = payload.uint24LittleEndian(at: 4), let height = payload.uint24LittleEndian(at: 7) else {
                throw invalid
            }
            return (width + 1, height + 1)
        case "VP8 ":
            guard length >= 10, payload.matches([0x9D, 0x01, 0x2A], at: 3), let width = payload.uint16LittleEndian(at: 6),
                let height = payload.uint16LittleEndian(at: 8), width & 0x3FFF > 0, height & 0x3FFF > 0
            else { throw invalid }
            return (width & 0x3FFF, height & 0x3FFF)
        case "VP8L":
            guard length >= 5, payload.uint8(at: 0) == 0x2F, let bits = payload.uint32LittleEndian(at: 1) else { throw invalid }
            return ((bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1)
        default:
            throw invalid
        }
    }
}
