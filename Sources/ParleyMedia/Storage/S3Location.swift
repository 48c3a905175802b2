/// A bucket in an S3-compatible object store, addressed path-style
/// (`http://host:port/bucket/key`), which every S3-compatible server understands.
public struct S3Location: Sendable, Equatable {
    /// The bucket's name (S3's rules: 3–63 lowercase letters, digits, `.` and `-`).
    public var bucket: String
    /// `http` or `https`.
    public var scheme: String
    public var host: String
    public var port: Int
    /// The region requests are signed for (`us-east-1` unless the store says otherwise).
    public var region: String

    public init(bucket: String, scheme: String, host: String, port: Int, region: String) {
        self.bucket = bucket
        self.scheme = scheme
        self.host = host
        self.port = port
        self.region = region
    }

    /// `http://host:port` (the port left out when it is the scheme's own).
    public var endpoint: String {
        "\(scheme)://\(hostHeader)"
    }

    /// The `Host` header requests carry, and sign.
    var hostHeader: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let isDefaultPort = (scheme == "http" && port == 80) || (scheme == "https" && port == 443)
        return isDefaultPort ? bracketed : "\(bracketed):\(port)"
    }

    /// Whether `name` follows S3's bucket naming rules (which also make it a path segment
    /// that needs no escaping).
    static func isValidBucketName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func isLetterOrDigit(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard (3...63).contains(bytes.count), isLetterOrDigit(bytes.first!), isLetterOrDigit(bytes.last!) else { return false }
        return bytes.allSatisfy { isLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") } && !name.contains("..")
    }
}
