/// Bounds-checked reads of big- and little-endian integers from untrusted bytes: a read
/// past either end answers nil instead of trapping, so every parser of uploads is total.
struct ByteReader {
    let bytes: [UInt8]

    var count: Int { bytes.count }

    func contains(_ offset: Int, length: Int) -> Bool {
        offset >= 0 && length >= 0 && length <= bytes.count && offset <= bytes.count - length
    }

    func uint8(at offset: Int) -> UInt8? {
        contains(offset, length: 1) ? bytes[offset] : nil
    }

    func uint16BigEndian(at offset: Int) -> Int? {
        guard contains(offset, length: 2) else { return nil }
        return Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
    }

    func uint16LittleEndian(at offset: Int) -> Int? {
        guard contains(offset, length: 2) else { return nil }
        return Int(bytes[offset + 1]) << 8 | Int(bytes[offset])
    }

    func uint24LittleEndian(at offset: Int) -> Int? {
        guard contains(offset, length: 3) else { return nil }
        return Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 1]) << 8 | Int(bytes[offset])
    }

    func uint32BigEndian(at offset: Int) -> Int? {
        guard contains(offset, length: 4) else { return nil }
        return Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    }

    func uint32LittleEndian(at offset: Int) -> Int? {
        guard contains(offset, length: 4) else { return nil }
        return Int(bytes[offset + 3]) << 24 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 1]) << 8 | Int(bytes[offset])
    }

    /// Whether `pattern` is at `offset` (false when it would run past the end).
    func matches(_ pattern: [UInt8], at offset: Int) -> Bool {
        guard contains(offset, length: pattern.count) else { return false }
        return bytes[offset..<offset + pattern.count].elementsEqual(pattern)
    }
}
