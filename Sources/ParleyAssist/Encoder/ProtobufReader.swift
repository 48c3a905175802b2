/// Walks the fields of one protocol-buffers message in a byte buffer: just enough of the
/// wire format to read a SentencePiece `.model` file without a protobuf library.
///
/// Fields are returned in file order; groups (wire types 3 and 4) are not supported and
/// end the walk with an error, like any truncated or malformed field.
struct ProtobufReader {
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes(Range<Int>)
    }

    struct Field {
        let number: UInt64
        let value: Value
    }

    struct MalformedMessage: Error {
        let offset: Int
        let reason: String
    }

    private let bytes: [UInt8]
    private var position: Int
    private let end: Int

    /// A reader of the message that occupies `range` of `bytes`.
    init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    /// The next field, or nil at the end of the message.
    mutating func next() throws(MalformedMessage) -> Field? {
        guard position < end else { return nil }
        let tag = try readVarint()
        let number = tag >> 3
        switch tag & 7 {
        case 0:
            return Field(number: number, value: .varint(try readVarint()))
        case 1:
            return Field(number: number, value: .fixed64(try readLittleEndian(byteCount: 8)))
        case 2:
            let length = try readVarint()
            guard length <= UInt64(end - position) else { throw MalformedMessage(offset: position, reason: "field \(number) overruns its message") }
            let start = position
            position += Int(length)
            return Field(number: number, value: .bytes(start..<position))
        case 5:
            return Field(number: number, value: .fixed32(UInt32(try readLittleEndian(byteCount: 4))))
        default:
            throw MalformedMessage(offset: position, reason: "field \(number) has unsupported wire type \(tag & 7)")
        }
    }

    private mutating func readVarint() throws(MalformedMessage) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end, shift < 64 else { throw MalformedMessage(offset: position, reason: "truncated or overlong varint") }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private mutating func readLittleEndian(byteCount: Int) throws(MalformedMessage) -> UInt64 {
        guard end - position >= byteCount else { throw MalformedMessage(offset: position, reason: "truncated fixed-width field") }
        var result: UInt64 = 0
        for index in 0..<byteCount {
            result |= UInt64(bytes[position + index]) << (8 * UInt64(index))
        }
        position += byteCount
        return result
    }
}
