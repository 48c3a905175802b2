/// Makes opaque, unguessable, URL-safe identifiers.
public enum Identifier {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    /// A prefix and 26 random base-32 characters (130 bits), e.g. `c_3k9…`.
    public static func make(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 26)
        for index in bytes.indices {
            bytes[index] = alphabet[Int(generator.next(upperBound: UInt8(32)))]
        }
        return prefix + "_" + String(decoding: bytes, as: UTF8.self)
    }
}
