import Crypto
import Foundation

/// Signs HTTP requests with AWS Signature Version 4 (header form), as S3-compatible stores
/// require: a canonical form of the request, a string to sign over its hash, and an
/// HMAC-SHA256 signature with a key derived from the secret, the day, the region and the
/// service. The secret and the signature go only into the `Authorization` header.
struct AWSSignatureV4: Sendable {
    static let algorithm = "AWS4-HMAC-SHA256"
    /// The hash of an empty body (requests without one sign it too).
    static let emptyPayloadHash = hex(SHA256.hash(data: [UInt8]()))

    let credentials: S3Credentials
    let region: String
    let service: String

    init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The headers to add to a request — `x-amz-date`, `x-amz-content-sha256` and
    /// `Authorization` — given its method, its path (segments unescaped), query, headers
    /// (`host` among them) and the hex SHA-256 of its body, signed at `date`.
    func signedHeaders(
        method: String, pathSegments: [String], query: [(name: String, value: String)], headers: [(name: String, value: String)],
        payloadHash: String, date: Date
    ) -> [(name: String, value: String)] {
        let (amzDate, day) = Self.timestamps(date)
        var all = headers.map { (name: $0.name.lowercased(), value: Self.trimmed($0.value)) }
        all.append((name: "x-amz-date", value: amzDate))
        all.append((name: "x-amz-content-sha256", value: payloadHash))
        all.sort { $0.name < $1.name }
        let signedHeaderNames = all.map(\.name).joined(separator: ";")
        let canonicalURI = "/" + pathSegments.map(Self.uriEncode).joined(separator: "/")
        let encodedQuery: [(name: String, value: String)] = query.map { (name: Self.uriEncode($0.name), value: Self.uriEncode($0.value)) }
        let sortedQuery = encodedQuery.sorted { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
        let canonicalQuery = sortedQuery.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        let canonicalHeaders = all.map { "\($0.name):\($0.value)\n" }.joined()
        let canonicalRequest: String = [method, canonicalURI, canonicalQuery, canonicalHeaders, signedHeaderNames, payloadHash]
            .joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [Self.algorithm, amzDate, scope, Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8)))].joined(separator: "\n")
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(day: day)))
        return [
            (name: "x-amz-date", value: amzDate),
            (name: "x-amz-content-sha256", value: payloadHash),
            (
                name: "Authorization",
                value: "\(Self.algorithm) Credential=\(credentials.accessKey)/\(scope), SignedHeaders=\(signedHeaderNames), Signature=\(signature)"
            ),
        ]
    }

    /// HMAC("AWS4" + secret, day) → region → service → "aws4_request".
    private func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// `20130524T000000Z` and `20130524`, in UTC.
    static func timestamps(_ date: Date) -> (amzDate: String, day: String) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let day = "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))"
        return ("\(day)T\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z", day)
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters, as SigV4
    /// prescribes (uppercase hex; a space is %20; a path's `/` is encoded within a segment).
    static func uriEncode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".utf8)
                encoded += "%" + String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
            }
        }
        return encoded
    }

    /// Lowercase hex, as SigV4 (and the contract's `sha256`) write digests.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A header value as SigV4 signs it: outer spaces removed, inner runs of spaces made one.
    private static func trimmed(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
