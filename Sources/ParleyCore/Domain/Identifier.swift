/// Makes opaque, unguessable, URL-safe identifiers.
public enum Identifier {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    /// A prefix and 26 base-32 characters: 10 of the current time in milliseconds, then
    /// 16 of 80 random bits, e.g. `m_01jdq…`. Time first, so ids made one after another
    /// sort together and a database index on them grows at its end instead of touching
    /// a random page per insert; 80 random bits keep them unguessable.
    public static func make(prefix: String, now: Timestamp = SystemWallClock().now()) -> String {
        var bytes = [UInt8](repeating: 0, count: 26)
        var time = UInt64(max(0, now.millisecondsSince1970))
        for index in stride(from: 9, through: 0, by: -1) {
            bytes[index] = alphabet[Int(time & 31)]
            time >>= 5
        }
        // Two 64-bit draws, not one per character: each draw may be a system call.
        var generator = SystemRandomNumberGenerator()
        var high: UInt64 = generator.next()
        var low: UInt64 = generator.next()
        for index in 10..<26 {
            bytes[index] = alphabet[Int(low & 31)]
            low = low >> 5 | (high & 31) << 59
            high >>= 5
        }
        return prefix + "_" + String(decoding: bytes, as: UTF8.self)
    }
}
