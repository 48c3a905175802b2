/// A GIF's blocks, read without decoding: the screen size, every frame's size (each is
/// checked against the limits), the first frame for the thumbnail, and the bytes without
/// comments, plain-text extensions (text no browser shows) and application extensions other
/// than the looping ones (XMP lives in an application extension). Graphic-control
/// extensions (delays, transparency) stay.
struct GIFStructure {
    /// The first image of the file, as the thumbnail needs it.
    struct Frame {
        var left: Int
        var top: Int
        var width: Int
        var height: Int
        var isInterlaced: Bool
        /// RGB triples: the local table if the frame has one, else the global one.
        var colorTable: [UInt8]
        var transparentIndex: Int?
        var minimumCodeSize: Int
        /// The LZW data, its sub-blocks joined.
        var data: [UInt8]
    }

    var width: Int
    var height: Int
    /// Every frame's width and height, to refuse a huge frame on a small screen.
    var frameSizes: [(width: Int, height: Int)]
    var firstFrame: Frame?
    var stripped: [UInt8]

    private static let loopingApplications = [Array("NETSCAPE2.0".utf8), Array("ANIMEXTS1.0".utf8)]

    static func parse(_ bytes: [UInt8]) throws(ImageError) -> GIFStructure {
        let reader = ByteReader(bytes: bytes)
        let invalid = ImageError.notThatImage(.gif)
        guard reader.matches(Array("GIF87a".utf8), at: 0) || reader.matches(Array("GIF89a".utf8), at: 0),
            let screenWidth = reader.uint16LittleEndian(at: 6), let screenHeight = reader.uint16LittleEndian(at: 8),
            let screenFlags = reader.uint8(at: 10), reader.contains(0, length: 13)
        else { throw invalid }
        var index = 13
        var globalTable: [UInt8] = []
        if screenFlags & 0x80 != 0 {
            let length = 3 << (Int(screenFlags & 0x07) + 1)
            guard reader.contains(index, length: length) else { throw invalid }
            globalTable = Array(bytes[index..<(index + length)])
            index += length
        }
        var stripped = Array(bytes[0..<index])
        stripped.reserveCapacity(bytes.count)
        var frameSizes: [(width: Int, height: Int)] = []
        var firstFrame: Frame?
        var pendingTransparentIndex: Int?
        while true {
            guard let introducer = reader.uint8(at: index) else {
                // Many encoders forget the trailer; the frames before it are whole.
                break
            }
            if introducer == 0x3B { break }
            if introducer == 0x21 {
                guard let label = reader.uint8(at: index + 1) else { throw invalid }
                let end = try subBlocksEnd(reader, from: index + 2)
                let keep: Bool
                switch label {
                case 0xF9:
                    keep = true
                    if let flags = reader.uint8(at: index + 3), flags & 0x01 != 0, reader.uint8(at: index + 2) == 4 {
                        pendingTransparentIndex = reader.uint8(at: index + 6).map(Int.init)
                    }
                case 0xFF:
                    keep = reader.uint8(at: index + 2) == 11 && loopingApplications.contains { reader.matches($0, at: index + 3) }
                default:
                    keep = false
                }
                if keep { stripped.append(contentsOf: bytes[index..<end]) }
                index = end
                continue
            }
            guard introducer == 0x2C, let left = reader.uint16LittleEndian(at: index + 1), let top = reader.uint16LittleEndian(at: index + 3),
                let width = reader.uint16LittleEndian(at: index + 5), let height = reader.uint16LittleEndian(at: index + 7),
                let flags = reader.uint8(at: index + 9)
            else { throw invalid }
            var dataStart = index + 10
            var table = globalTable
            if flags & 0x80 != 0 {
                let length = 3 << (Int(flags & 0x07) + 1)
                guard reader.contains(dataStart, length: length) else { throw invalid }
                table = Array(bytes[dataStart..<(dataStart + length)])
                dataStart += length
            }
            guard let minimumCodeSize = reader.uint8(at: dataStart) else { throw invalid }
            let end = try subBlocksEnd(reader, from: dataStart + 1)
            frameSizes.append((width, height))
            if firstFrame == nil {
                firstFrame = Frame(
                    left: left, top: top, width: width, height: height, isInterlaced: flags & 0x40 != 0, colorTable: table,
                    transparentIndex: pendingTransparentIndex, minimumCodeSize: Int(minimumCodeSize),
                    data: joinedSubBlocks(bytes, from: dataStart + 1, to: end))
            }
            pendingTransparentIndex = nil
            stripped.append(contentsOf: bytes[index..<end])
            index = end
        }
        guard let firstFrame else { throw invalid }
        stripped.append(0x3B)
        // Some encoders write a 0 x 0 screen; browsers then use the first frame's size.
        let width = screenWidth > 0 ? screenWidth : firstFrame.left + firstFrame.width
        let height = screenHeight > 0 ? screenHeight : firstFrame.top + firstFrame.height
        return GIFStructure(width: width, height: height, frameSizes: frameSizes, firstFrame: firstFrame, stripped: stripped)
    }

    /// The index after the zero-length block that ends a run of data sub-blocks.
    private static func subBlocksEnd(_ reader: ByteReader, from start: Int) throws(ImageError) -> Int {
        var index = start
        while true {
            guard let length = reader.uint8(at: index) else { throw .notThatImage(.gif) }
            index += 1
            if length == 0 { return index }
            guard reader.contains(index, length: Int(length)) else { throw .notThatImage(.gif) }
            index += Int(length)
        }
    }

    /// The payloads of the sub-blocks in `start..<end` (already checked by `subBlocksEnd`).
    private static func joinedSubBlocks(_ bytes: [UInt8], from start: Int, to end: Int) -> [UInt8] {
        var data: [UInt8] = []
        data.reserveCapacity(end - start)
        var index = start
        while index < end {
            let length = Int(bytes[index])
            if length == 0 { break }
            data.append(contentsOf: bytes[(index + 1)..<(index + 1 + length)])
            index += 1 + length
        }
        return data
    }
}
