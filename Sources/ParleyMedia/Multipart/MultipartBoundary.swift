/// The boundary of a `multipart/form-data` body, read from the request's `Content-Type`.
///
/// ```swift
/// guard let boundary = MultipartBoundary.parse(contentType: "multipart/form-data; boundary=----WebKitFormBoundaryX") else { … }
/// var reader = MultipartReader(boundary: boundary)
/// ```
public enum MultipartBoundary {
    /// RFC 2046 §5.1.1: a boundary is 1 to 70 characters.
    public static let maxLength = 70

    /// The boundary's bytes (without the leading `--`), from a `Content-Type` value such as
    /// `multipart/form-data; boundary=----WebKitFormBoundaryX` (the parameter quoted or
    /// not, type and parameter names in any case). Nil when the type is not
    /// `multipart/form-data`, or the boundary is missing, given twice, or not 1–70 of
    /// RFC 2046's boundary characters without a trailing space.
    public static func parse(contentType: String) -> [UInt8]? {
        guard let value = try? MultipartHeaderValue(parsing: Array(contentType.utf8)[...]),
            value.type == "multipart/form-data",
            let boundary = value.parameters["boundary"],
            (1...maxLength).contains(boundary.count),
            boundary.allSatisfy(isBoundaryCharacter),
            boundary.last != MultipartByte.space
        else { return nil }
        return boundary
    }

    /// RFC 2046 `bchars`: letters, digits, space and `'()+_,-./:=?`.
    static func isBoundaryCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: Array(" '()+_,-./:=?".utf8).contains(byte)
        }
    }
}
