/// A PNG's chunks, read without decoding: its size and its bytes with only the chunks
/// that decoding and rendering need. Every other ancillary chunk goes: eXIf (EXIF),
/// tEXt, zTXt and iTXt (XMP and "Raw profile type" IPTC/EXIF live there), tIME, and
/// anything private. Nothing after IEND is kept. The orientation in eXIf is read first,
/// since browsers apply it.
struct PNGStructure {
    var width: Int
    var height: Int
    var orientation: ImageOrientation
    var stripped: [UInt8]

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Ancillary chunks that change how the image looks (colour, transparency, animation).
    private static let renderingChunks: Set<String> = [
        "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "pHYs", "bKGD", "cICP", "mDCv", "cLLi", "acTL", "fcTL", "fdAT",
    ]
    /// The spec's bound on a chunk's length (2^31 - 1).
    private static let maximumChunkLength = 0x7FFF_FFFF

    static func parse(_ bytes: [UInt8]) throws(ImageError) -> PNGStructure {
        let reader = ByteReader(bytes: bytes)
        let invalid = ImageError.notThatImage(.png)
        guard reader.matches(signature, at: 0) else { throw invalid }
        var stripped = signature
        stripped.reserveCapacity(bytes.count)
        var size: (width: Int, height: Int)?
        var sawImageData = false
        var orientation = ImageOrientation.up
        var index = signature.count
        while true {
            guard let length = reader.uint32BigEndian(at: index), length <= maximumChunkLength,
                reader.contains(index, length: 12 + length)
            else { throw invalid }
            let typeBytes = bytes[(index + 4)..<(index + 8)]
            guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else { throw invalid }
            let type = String(decoding: typeBytes, as: UTF8.self)
            let critical = typeBytes.first! & 0x20 == 0
            if size == nil {
                guard type == "IHDR", length == 13, let width = reader.uint32BigEndian(at: index + 8),
                    let height = reader.uint32BigEndian(at: index + 12), width > 0, height > 0
                else { throw invalid }
                size = (width, height)
            }
            if type == "IDAT" { sawImageData = true }
            // eXIf holds the TIFF structure itself, without JPEG's "Exif\0\0".
            if type == "eXIf" { orientation = EXIFOrientationReader.orientation(inTIFF: bytes[(index + 8)..<(index + 8 + length)]) }
            if critical || renderingChunks.contains(type) {
                stripped.append(contentsOf: bytes[index..<(index + 12 + length)])
            }
            index += 12 + length
            if type == "IEND" {
                guard let size, sawImageData else { throw invalid }
                return PNGStructure(width: size.width, height: size.height, orientation: orientation, stripped: stripped)
            }
        }
    }
}
