/// The header block of one part, read line by line as its lines arrive: what the
/// reader knows of a part between its boundary line and the blank line before its body.
struct MultipartHeaderBlock: Sendable {
    /// Bytes counted against `MultipartLimits.maxHeaderBytes` so far.
    var byteCount: Int
    private(set) var headers = MultipartPartHeaders()
    private var sawDisposition = false
    private var sawContentType = false

    init(byteCount: Int) {
        self.byteCount = byteCount
    }

    /// One header line, without its CRLF. Headers other than `Content-Disposition` and
    /// `Content-Type` are ignored (RFC 7578 §4.8: others are to be ignored).
    mutating func add(line: ArraySlice<UInt8>) throws(MultipartError) {
        guard let first = line.first, !MultipartByte.isWhitespace(first) else {
            throw .malformed("folded header line in a part (RFC 7578 forbids them)")
        }
        // Lines end in CRLF only; a CR or LF inside a line is a bare line break.
        guard !line.contains(where: { $0 == MultipartByte.carriageReturn || $0 == MultipartByte.lineFeed || $0 == MultipartByte.nul }) else {
            throw .malformed("bare CR or LF, or NUL, in a part header")
        }
        guard let colon = line.firstIndex(of: MultipartByte.colon) else {
            throw .malformed("part header line without a colon")
        }
        let nameBytes = line[..<colon]
        guard !nameBytes.isEmpty, nameBytes.allSatisfy(MultipartByte.isTokenCharacter) else {
            throw .malformed("invalid part header name")
        }
        let value = MultipartByte.trimmed(line[(colon + 1)...])

        switch MultipartByte.lowercasedString(nameBytes) {
        case "content-disposition":
            // Two dispositions could name two different fields or files.
            guard !sawDisposition else { throw .malformed("Content-Disposition given twice in a part") }
            sawDisposition = true
            let disposition = try MultipartHeaderValue(parsing: value)
            guard disposition.type == "form-data" else {
                throw .malformed("part disposition is not form-data")
            }
            headers.name = disposition.parameters["name"].map(Self.formText)
            if let extended = disposition.parameters["filename*"], let filename = MultipartExtendedValue.decode(extended) {
                headers.filename = filename
            } else {
                headers.filename = disposition.parameters["filename"].map(Self.formText)
            }
        case "content-type":
            guard !sawContentType else { throw .malformed("Content-Type given twice in a part") }
            sawContentType = true
            headers.contentType = value.isEmpty ? nil : String(decoding: value, as: UTF8.self)
        default:
            break
        }
    }

    /// A field or file name as browsers write it: the HTML standard's form-data
    /// encoding turns `"` into `%22` (and CR, LF into `%0D`, `%0A`, which stay encoded
    /// here so that no line break comes out of a name). Only `%22` is decoded: a `%`
    /// is otherwise sent as itself, so decoding more would change real names.
    private static func formText(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == MultipartByte.percent, index + 2 < bytes.count, bytes[index + 1] == 0x32, bytes[index + 2] == 0x32 {
                text.append(MultipartByte.quote)
                index += 3
            } else {
                text.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
