/// The access key and secret an `S3BlobStore` signs its requests with.
///
/// `description` never shows the secret, so a credentials value can be logged or end in an
/// error message without leaking it.
public struct S3Credentials: Sendable, CustomStringConvertible {
    /// The variables `parley serve` reads the credentials from.
    public static let accessKeyVariable = "PARLEY_S3_ACCESS_KEY"
    public static let secretKeyVariable = "PARLEY_S3_SECRET_KEY"

    public struct Missing: Error, Sendable, Equatable, CustomStringConvertible {
        /// The environment variable that is missing or empty.
        public var variable: String
        public init(variable: String) { self.variable = variable }
        public var description: String { "\(variable) is not set: an s3:// attachments store needs PARLEY_S3_ACCESS_KEY and PARLEY_S3_SECRET_KEY" }
    }

    public var accessKey: String
    public var secretKey: String

    public init(accessKey: String, secretKey: String) {
        self.accessKey = accessKey
        self.secretKey = secretKey
    }

    /// Reads `PARLEY_S3_ACCESS_KEY` and `PARLEY_S3_SECRET_KEY` from `environment`; throws
    /// `Missing` naming the first that is absent or empty.
    public init(environment: [String: String]) throws(Missing) {
        guard let accessKey = environment[Self.accessKeyVariable], !accessKey.isEmpty else { throw Missing(variable: Self.accessKeyVariable) }
        guard let secretKey = environment[Self.secretKeyVariable], !secretKey.isEmpty else { throw Missing(variable: Self.secretKeyVariable) }
        self.init(accessKey: accessKey, secretKey: secretKey)
    }

    public var description: String { "S3Credentials(accessKey: \(accessKey), secretKey: <hidden>)" }
}
