/// The rules a blob key follows, checked by every store before it touches anything.
///
/// Keys are ours — `"<sha256 hex>"` for content, `"<sha256 hex>.thumb"` and the like for
/// derived bytes — so the rule can be strict: lowercase ASCII letters, digits, `.`, `_`
/// and `-`, at most `maximumLength` bytes, the first two characters a letter or digit.
/// That keeps a key a single, visible path component (no `/`, no `.` or `..`, no hidden
/// file, nothing that clashes with the folder store's `.tmp-` files) and a URL path
/// segment that needs no escaping, and gives the folder store its two-character shard.
public enum BlobKey {
    /// Long enough for a SHA-256 hex digest and a suffix; short enough for any file
    /// system's name limit (255) and S3's key limit (1024).
    public static let maximumLength = 128

    /// Throws `BlobStoreError.invalidKey` unless `key` follows the rules.
    public static func validate(_ key: String) throws(BlobStoreError) {
        let bytes = Array(key.utf8)
        guard bytes.count >= 2, bytes.count <= maximumLength,
            isLetterOrDigit(bytes[0]), isLetterOrDigit(bytes[1]),
            bytes.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
        else { throw .invalidKey(key) }
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
