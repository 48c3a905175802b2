import NIOCore

/// A value of the Redis serialization protocol (RESP2), as Redis answers.
public enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    case bulkString([UInt8]?)
    case array([RESPValue]?)

    /// The value as text, for simple and bulk strings.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes?): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// A command as Redis expects it: an array of bulk strings.
    static func encodeCommand(_ parts: [String], into buffer: inout ByteBuffer) {
        buffer.writeString("*\(parts.count)\r\n")
        for part in parts {
            buffer.writeString("$\(part.utf8.count)\r\n")
            buffer.writeString(part)
            buffer.writeString("\r\n")
        }
    }

    /// Limits on what a reply may claim, so a corrupt or hostile stream cannot make the
    /// client allocate without bound.
    static let maxBulkBytes = 64 * 1024 * 1024
    static let maxArrayCount = 1_048_576

    enum ParseError: Error {
        case malformed(String)
    }

    /// Parses one value from the front of `buffer`; `nil` (and `buffer` untouched) when
    /// more bytes are needed.
    static func parse(from buffer: inout ByteBuffer) throws -> RESPValue? {
        var copy = buffer
        guard let value = try parseValue(&copy) else { return nil }
        buffer = copy
        return value
    }

    private static func parseValue(_ buffer: inout ByteBuffer) throws -> RESPValue? {
        guard let type = buffer.readInteger(as: UInt8.self), let line = readLine(&buffer) else { return nil }
        switch type {
        case UInt8(ascii: "+"): return .simpleString(line)
        case UInt8(ascii: "-"): return .error(line)
        case UInt8(ascii: ":"):
            guard let number = Int64(line) else { throw ParseError.malformed("integer \(line)") }
            return .integer(number)
        case UInt8(ascii: "$"):
            guard let length = Int(line), length >= -1, length <= maxBulkBytes else { throw ParseError.malformed("bulk \(line)") }
            if length == -1 { return .bulkString(nil) }
            guard buffer.readableBytes >= length + 2, let bytes = buffer.readBytes(length: length) else { return nil }
            buffer.moveReaderIndex(forwardBy: 2)
            return .bulkString(bytes)
        case UInt8(ascii: "*"):
            guard let count = Int(line), count >= -1, count <= maxArrayCount else { throw ParseError.malformed("array \(line)") }
            if count == -1 { return .array(nil) }
            var elements: [RESPValue] = []
            elements.reserveCapacity(min(count, 1024))
            for _ in 0..<count {
                guard let element = try parseValue(&buffer) else { return nil }
                elements.append(element)
            }
            return .array(elements)
        default:
            throw ParseError.malformed("type byte \(type)")
        }
    }

    private static func readLine(_ buffer: inout ByteBuffer) -> String? {
        guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\r")),
            end + 1 < buffer.writerIndex, buffer.getInteger(at: end + 1, as: UInt8.self) == UInt8(ascii: "\n")
        else { return nil }
        let line = buffer.readString(length: end - buffer.readerIndex)
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }
}
