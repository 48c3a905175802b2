/// One array from a NumPy `.npy` file: its element type, shape and raw little-endian bytes.
///
/// Only what the encoder's weights use is understood: little-endian `float32`, `float64`,
/// `uint8` and `int8`, in C (row-major) order, format versions 1 to 3. Anything else is
/// refused with the reason, rather than read wrongly.
struct NumpyArray {
    enum ElementType: String {
        case float32 = "<f4"
        case float64 = "<f8"
        case uint8 = "|u1"
        case int8 = "|i1"

        var size: Int {
            switch self {
            case .float32: 4
            case .float64: 8
            case .uint8, .int8: 1
            }
        }
    }

    /// The file the array came from, for error messages.
    let path: String
    let elementType: ElementType
    let shape: [Int]
    /// The elements' bytes, exactly `shape.product * elementType.size` of them.
    let payload: [UInt8]

    private static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

    /// Reads and checks the file at `path`.
    init(path: String) throws(SentenceEncoderError) {
        try self.init(bytes: ModelFile.read(path), path: path)
    }

    init(bytes: [UInt8], path: String) throws(SentenceEncoderError) {
        func bad(_ reason: String) -> SentenceEncoderError { .badFile(path: path, reason: reason) }
        guard bytes.count >= 10, Array(bytes[0..<6]) == Self.magic else { throw bad("not a .npy file") }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw bad("truncated header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw bad(".npy format version \(major) is not supported")
        }
        guard headerStart + headerLength <= bytes.count else { throw bad("truncated header") }
        let header = String(decoding: bytes[headerStart..<headerStart + headerLength], as: UTF8.self)

        guard let descr = Self.quotedValue(of: "descr", in: header) else { throw bad("header has no descr") }
        guard let elementType = ElementType(rawValue: descr) else {
            throw bad("element type \(descr) is not supported (little-endian f4, f8, u1 or i1 only)")
        }
        guard let fortranOrder = Self.rawValue(of: "fortran_order", in: header, until: [",", "}"]) else {
            throw bad("header has no fortran_order")
        }
        guard fortranOrder == "False" else { throw bad("Fortran-ordered arrays are not supported") }
        guard let shapeText = Self.rawValue(of: "shape", in: header, until: [")"]), shapeText.hasPrefix("("), shapeText.hasSuffix(")")
        else {
            throw bad("header has no shape")
        }
        var shape = [Int]()
        for part in shapeText.dropFirst().dropLast().split(separator: ",") {
            let trimmed = part.trimmingSpaces
            if trimmed.isEmpty { continue }
            guard let dimension = Int(trimmed), dimension >= 0 else { throw bad("shape \(shapeText) is malformed") }
            shape.append(dimension)
        }
        let expectedBytes = shape.reduce(elementType.size, *)
        let payloadStart = headerStart + headerLength
        guard bytes.count - payloadStart == expectedBytes else {
            throw bad("holds \(bytes.count - payloadStart) data bytes; shape \(shape) of \(descr) needs \(expectedBytes)")
        }
        self.path = path
        self.elementType = elementType
        self.shape = shape
        self.payload = Array(bytes[payloadStart...])
    }

    /// The elements as `Float`s, after checking the array is `float32` of exactly `shape`.
    func float32Values(shape expected: [Int]) throws(SentenceEncoderError) -> [Float] {
        try check(.float32, expected)
        // The platforms Parley runs on are little-endian, like the file.
        return [Float](unsafeUninitializedCapacity: payload.count / 4) { buffer, count in
            payload.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
            }
            count = payload.count / 4
        }
    }

    /// The elements as bytes, after checking the array is `uint8` of exactly `shape`.
    func uint8Values(shape expected: [Int]) throws(SentenceEncoderError) -> [UInt8] {
        try check(.uint8, expected)
        return payload
    }

    /// The only element of a scalar (shape `()`) `float64` array.
    func float64Scalar() throws(SentenceEncoderError) -> Double {
        try check(.float64, [])
        let bits = payload.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        return Double(bitPattern: bits)
    }

    private func check(_ type: ElementType, _ expected: [Int]) throws(SentenceEncoderError) {
        guard elementType == type, shape == expected else {
            throw .badFile(
                path: path, reason: "holds \(elementType.rawValue) of shape \(shape), expected \(type.rawValue) of shape \(expected)")
        }
    }

    /// The text between the quotes after `'key':` in the header's dictionary literal.
    private static func quotedValue(of key: String, in header: String) -> String? {
        guard let value = rawValue(of: key, in: header, until: [",", "}"]) else { return nil }
        guard value.count >= 2, let quote = value.first, quote == "'" || quote == "\"", value.last == quote else { return nil }
        return String(value.dropFirst().dropLast())
    }

    /// The text after `'key':` up to (not including) the first of `terminators`, trimmed;
    /// a `)` terminator is kept, so a tuple comes back whole.
    private static func rawValue(of key: String, in header: String, until terminators: Set<Character>) -> String? {
        guard let keyRange = header.firstRange(of: "'\(key)':") else { return nil }
        var value = ""
        for character in header[keyRange.upperBound...] {
            if terminators.contains(character) {
                if character == ")" { value.append(character) }
                return value.trimmingSpaces
            }
            value.append(character)
        }
        return nil
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
