import Foundation

/// A JPEG's marker segments, read without decoding: its size, its EXIF orientation, and
/// its bytes without metadata. Kept: what decoding needs (tables, frame, scans), APP0
/// JFIF (without its embedded thumbnail, a picture of the unturned original), APP2 ICC
/// profile and APP14 Adobe (colour). Dropped: APP1 (EXIF, XMP), APP13
/// (IPTC, Photoshop), every other APPn, comments, the JFIF extension's thumbnail, and
/// anything after the end-of-image marker (MPF's appended images carry their own EXIF).
struct JPEGStructure {
    var width: Int
    var height: Int
    var orientation: ImageOrientation
    var stripped: [UInt8]

    private static let jfif = Array("JFIF\0".utf8)
    private static let exif = Array("Exif\0\0".utf8)
    private static let iccProfile = Array("ICC_PROFILE\0".utf8)
    private static let adobe = Array("Adobe".utf8)
    /// APP0 JFIF up to its thumbnail: identifier, version, units and densities, and the
    /// thumbnail's width and height (set to 0).
    private static let jfifLengthWithoutThumbnail = 16

    static func parse(_ bytes: [UInt8]) throws(ImageError) -> JPEGStructure {
        let reader = ByteReader(bytes: bytes)
        let invalid = ImageError.notThatImage(.jpeg)
        guard reader.matches([0xFF, 0xD8], at: 0) else { throw invalid }
        var stripped: [UInt8] = [0xFF, 0xD8]
        stripped.reserveCapacity(bytes.count)
        var orientation: ImageOrientation?
        var size: (width: Int, height: Int)?
        var sawScan = false
        var index = 2
        while true {
            // libjpeg skips stray bytes before a marker (with a warning); so do we.
            while index < bytes.count, bytes[index] != 0xFF { index += 1 }
            while index < bytes.count, bytes[index] == 0xFF { index += 1 }
            guard let marker = reader.uint8(at: index) else { throw invalid }
            index += 1
            switch marker {
            case 0xD9:
                guard let size, sawScan else { throw invalid }
                stripped.append(contentsOf: [0xFF, 0xD9])
                return JPEGStructure(width: size.width, height: size.height, orientation: orientation ?? .up, stripped: stripped)
            case 0x01, 0xD0...0xD7:
                stripped.append(contentsOf: [0xFF, marker])
                continue
            case 0xD8, 0x00:
                throw invalid
            default:
                break
            }
            guard let length = reader.uint16BigEndian(at: index), length >= 2, reader.contains(index, length: length) else {
                throw invalid
            }
            let payload = bytes[(index + 2)..<(index + length)]
            let payloadReader = ByteReader(bytes: Array(payload.prefix(16)))
            var keep = true
            switch marker {
            case 0xE0:
                keep = payloadReader.matches(jfif, at: 0)
            case 0xE1:
                keep = false
                if orientation == nil, payloadReader.matches(exif, at: 0) {
                    orientation = EXIFOrientationReader.orientation(inTIFF: payload.dropFirst(exif.count))
                }
            case 0xE2:
                keep = payloadReader.matches(iccProfile, at: 0)
            case 0xEE:
                keep = payloadReader.matches(adobe, at: 0)
            case 0xE3...0xEF, 0xFE:
                keep = false
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                guard size == nil, let precision = payloadReader.uint8(at: 0), let height = payloadReader.uint16BigEndian(at: 1),
                    let width = payloadReader.uint16BigEndian(at: 3)
                else { throw invalid }
                if [0xC3, 0xC5, 0xC6, 0xC7, 0xCB, 0xCD, 0xCE, 0xCF].contains(marker) {
                    throw .unsupported("lossless or hierarchical JPEG")
                }
                guard precision == 8 else { throw .unsupported("\(precision)-bit JPEG") }
                // A height of 0 (defined later by a DNL marker) is legal but unseen in practice.
                guard width > 0, height > 0 else { throw invalid }
                size = (width, height)
            case 0xDA:
                guard size != nil else { throw invalid }
                sawScan = true
                stripped.append(contentsOf: [0xFF, marker])
                stripped.append(contentsOf: bytes[index..<(index + length)])
                let end = try entropyCodedDataEnd(in: bytes, from: index + length)
                stripped.append(contentsOf: bytes[(index + length)..<end])
                index = end
                continue
            default:
                break
            }
            if keep, marker == 0xE0, length > jfifLengthWithoutThumbnail {
                stripped.append(contentsOf: [0xFF, marker, 0, UInt8(jfifLengthWithoutThumbnail)])
                stripped.append(contentsOf: bytes[(index + 2)..<(index + jfifLengthWithoutThumbnail - 2)])
                stripped.append(contentsOf: [0, 0])
            } else if keep {
                stripped.append(contentsOf: [0xFF, marker])
                stripped.append(contentsOf: bytes[index..<(index + length)])
            }
            index += length
        }
    }

    /// Where a scan's entropy-coded data ends: at the first 0xFF that is neither a
    /// stuffed 0xFF00 nor a restart marker.
    private static func entropyCodedDataEnd(in bytes: [UInt8], from start: Int) throws(ImageError) -> Int {
        let end: Int? = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            var index = start
            while index < buffer.count {
                guard let found = memchr(base + index, 0xFF, buffer.count - index) else { return nil }
                let position = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                guard position + 1 < buffer.count else { return nil }
                let next = buffer[position + 1]
                if next == 0x00 || (0xD0...0xD7).contains(next) {
                    index = position + 2
                } else {
                    return position
                }
            }
            return nil
        }
        guard let end else { throw .notThatImage(.jpeg) }
        return end
    }
}
