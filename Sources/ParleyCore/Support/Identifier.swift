/// Makes opaque, unguessable, URL-safe identifiers.
public enum Identifier {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    /// A prefix and 26 base-32 characters of 128 random bits, e.g. `c_3k9…`.
    public static func make(prefix: String) -> String {
        // Two 64-bit draws, not one per character: each draw may be a system call.
        var generator = SystemRandomNumberGenerator()
        var high: UInt64 = generator.next()
        var low: UInt64 = generator.next()
        var bytes = [UInt8](repeating: 0, count: 26)
        for index in bytes.indices {
            bytes[index] = alphabet[Int(low & 31)]
            low = low >> 5 | (high & 31) << 59
            high >>= 5
        }
        return prefix + "_" + String(decoding: bytes, as: UTF8.self)
    }
}
