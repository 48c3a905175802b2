import Foundation

/// Where `--attachments` says attachment bytes live.
///
/// - `file://./parley-data/attachments` (relative to the working directory) or
///   `file:///var/lib/parley/attachments` (absolute): a folder on this node.
/// - `s3://bucket?endpoint=http://host:port&region=us-east-1`: a bucket in an
///   S3-compatible object store, shared by every node. `region` defaults to `us-east-1`;
///   without `endpoint` the store is AWS's own (`https://s3.REGION.amazonaws.com`).
public enum BlobStoreLocation: Sendable, Equatable {
    case folder(path: String)
    case s3(S3Location)

    /// Why an `--attachments` value was refused; the description names what is wrong.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public static let defaultRegion = "us-east-1"

    /// Parses the contract's `--attachments` value.
    public init(parsing text: String) throws(ParseError) {
        if text.hasPrefix("file://") {
            let path = String(text.dropFirst("file://".count))
            guard !path.isEmpty else { throw ParseError(description: "--attachments \(text): no folder after file://") }
            guard !path.contains("?"), !path.contains("#") else {
                throw ParseError(description: "--attachments \(text): a folder path takes no ?query or #fragment")
            }
            guard path.hasPrefix("/") || path.hasPrefix(".") else {
                throw ParseError(
                    description: "--attachments \(text): write a relative folder as file://./\(path) and an absolute one as file:///path")
            }
            self = .folder(path: path)
        } else if text.hasPrefix("s3://") {
            self = .s3(try Self.parseS3(text))
        } else {
            throw ParseError(
                description: "--attachments \(text): expected file://FOLDER or s3://BUCKET?endpoint=http://HOST:PORT&region=REGION")
        }
    }

    private static func parseS3(_ text: String) throws(ParseError) -> S3Location {
        let rest = text.dropFirst("s3://".count)
        let bucketPart = rest.prefix { $0 != "?" }
        var bucket = String(bucketPart)
        if bucket.hasSuffix("/") { bucket.removeLast() }
        guard !bucket.isEmpty else { throw ParseError(description: "--attachments \(text): no bucket after s3://") }
        guard S3Location.isValidBucketName(bucket) else {
            throw ParseError(
                description:
                    "--attachments \(text): \"\(bucket)\" is not a bucket name (3-63 lowercase letters, digits, '.' and '-'; no path after it)")
        }
        var endpoint: String?
        var region = defaultRegion
        let query = rest.dropFirst(bucketPart.count + 1)
        for item in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard parts.count == 2, let value = String(parts[1]).removingPercentEncoding, !value.isEmpty else {
                throw ParseError(description: "--attachments \(text): \(name) has no value")
            }
            switch name {
            case "endpoint": endpoint = value
            case "region":
                guard
                    value.utf8.allSatisfy({
                        ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                            || $0 == UInt8(ascii: "-")
                    })
                else { throw ParseError(description: "--attachments \(text): region \"\(value)\" is not a region name") }
                region = value
            default:
                throw ParseError(description: "--attachments \(text): unknown parameter \"\(name)\" (known: endpoint, region)")
            }
        }
        let endpointText = endpoint ?? "https://s3.\(region).amazonaws.com"
        guard let components = URLComponents(string: endpointText), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else { throw ParseError(description: "--attachments \(text): endpoint \(endpointText) is not an http:// or https:// URL") }
        guard let host = components.host, !host.isEmpty else {
            throw ParseError(description: "--attachments \(text): endpoint \(endpointText) has no host")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil,
            components.user == nil, components.password == nil
        else {
            throw ParseError(
                description: "--attachments \(text): endpoint \(endpointText) must be only scheme://host:port (the bucket goes after s3://)")
        }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else { throw ParseError(description: "--attachments \(text): endpoint port \(port) is out of range") }
        return S3Location(bucket: bucket, scheme: scheme, host: host, port: port, region: region)
    }
}
