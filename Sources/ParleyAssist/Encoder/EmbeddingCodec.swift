/// Turns an embedding into bytes and back, for stores that keep vectors as BLOBs.
///
/// The layout is each value's IEEE 754 single-precision bits, little-endian, one after the
/// other: 4 bytes per dimension, the same on every host.
public enum EmbeddingCodec {
    /// The bytes of `vector`: `4 * vector.count` of them.
    public static func encode(_ vector: [Float]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(vector.count * MemoryLayout<UInt32>.size)
        for value in vector {
            let bits = value.bitPattern
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 16))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 24))
        }
        return bytes
    }

    /// The vector `bytes` hold, or nil when their count is not a multiple of 4 (a truncated
    /// or foreign BLOB).
    public static func decode<Bytes: Collection>(_ bytes: Bytes) -> [Float]? where Bytes.Element == UInt8 {
        guard bytes.count % MemoryLayout<UInt32>.size == 0 else { return nil }
        var vector = [Float]()
        vector.reserveCapacity(bytes.count / MemoryLayout<UInt32>.size)
        var bits: UInt32 = 0
        var shift: UInt32 = 0
        for byte in bytes {
            bits |= UInt32(byte) << shift
            shift += 8
            if shift == 32 {
                vector.append(Float(bitPattern: bits))
                bits = 0
                shift = 0
            }
        }
        return vector
    }
}
