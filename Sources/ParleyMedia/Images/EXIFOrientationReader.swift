/// Finds the orientation tag in an EXIF block (the TIFF structure after `Exif\0\0`):
/// only IFD0 is read, every offset is checked, and anything malformed means "upright",
/// as browsers treat it.
enum EXIFOrientationReader {
    private static let orientationTag = 0x0112
    private static let shortType = 3
    /// IFD0 of a camera holds a few dozen entries; more means garbage, not a photo.
    private static let maximumEntries = 1_000

    static func orientation(inTIFF tiff: ArraySlice<UInt8>) -> ImageOrientation {
        let reader = ByteReader(bytes: Array(tiff))
        let littleEndian: Bool
        if reader.matches([0x49, 0x49, 0x2A, 0x00], at: 0) {
            littleEndian = true
        } else if reader.matches([0x4D, 0x4D, 0x00, 0x2A], at: 0) {
            littleEndian = false
        } else {
            return .up
        }
        func uint16(_ offset: Int) -> Int? { littleEndian ? reader.uint16LittleEndian(at: offset) : reader.uint16BigEndian(at: offset) }
        func uint32(_ offset: Int) -> Int? { littleEndian ? reader.uint32LittleEndian(at: offset) : reader.uint32BigEndian(at: offset) }
        guard let directory = uint32(4), let entries = uint16(directory), entries <= maximumEntries else { return .up }
        for entry in 0..<entries {
            let offset = directory + 2 + entry * 12
            guard let tag = uint16(offset), let type = uint16(offset + 2) else { return .up }
            if tag == orientationTag {
                guard type == shortType, let value = uint16(offset + 8) else { return .up }
                return ImageOrientation(rawValue: value) ?? .up
            }
        }
        return .up
    }
}
