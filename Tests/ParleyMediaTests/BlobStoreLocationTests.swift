import ParleyMedia
import Testing

/// `--attachments` values and the S3 credentials' variables.
@Suite struct BlobStoreLocationTests {
    @Test func fileURLsNameARelativeOrAbsoluteFolder() throws {
        #expect(try BlobStoreLocation(parsing: "file://./parley-data/attachments") == .folder(path: "./parley-data/attachments"))
        #expect(try BlobStoreLocation(parsing: "file:///var/lib/parley/attachments") == .folder(path: "/var/lib/parley/attachments"))
        #expect(try BlobStoreLocation(parsing: "file://../shared") == .folder(path: "../shared"))
    }

    @Test func s3URLsNameTheBucketEndpointAndRegion() throws {
        #expect(
            try BlobStoreLocation(parsing: "s3://parley-attachments?endpoint=http://127.0.0.1:8333&region=eu-west-1")
                == .s3(S3Location(bucket: "parley-attachments", scheme: "http", host: "127.0.0.1", port: 8333, region: "eu-west-1")))
        let defaults = try BlobStoreLocation(parsing: "s3://parley-attachments?endpoint=http%3A%2F%2Fminio.local")
        #expect(defaults == .s3(S3Location(bucket: "parley-attachments", scheme: "http", host: "minio.local", port: 80, region: "us-east-1")))
        #expect(
            try BlobStoreLocation(parsing: "s3://parley-attachments?region=eu-west-1")
                == .s3(S3Location(bucket: "parley-attachments", scheme: "https", host: "s3.eu-west-1.amazonaws.com", port: 443, region: "eu-west-1")))
    }

    /// Each refusal names what is wrong.
    @Test(arguments: [
        ("ftp://bucket", "expected file://"),
        ("./parley-data", "expected file://"),
        ("file://", "no folder"),
        ("file://parley-data", "file://./parley-data"),
        ("file://./data?x=1", "no ?query"),
        ("s3://", "no bucket"),
        ("s3://Parley_Bucket?endpoint=http://h:1", "\"Parley_Bucket\" is not a bucket name"),
        ("s3://bucket/path?endpoint=http://h:1", "is not a bucket name"),
        ("s3://bucket?endpoint=ftp://h:1", "not an http:// or https:// URL"),
        ("s3://bucket?endpoint=http://h:1/base", "only scheme://host:port"),
        ("s3://bucket?endpoint=http://h:1&color=blue", "unknown parameter \"color\""),
        ("s3://bucket?endpoint=", "endpoint has no value"),
        ("s3://bucket?endpoint=http://h:1&region=EU WEST", "region \"EU WEST\""),
    ])
    func malformedLocationsAreRefusedNamingTheProblem(text: String, problem: String) {
        #expect {
            _ = try BlobStoreLocation(parsing: text)
        } throws: { error in
            "\(error)".contains(problem)
        }
    }

    @Test func credentialsComeFromTheEnvironmentAndNameWhatIsMissing() throws {
        let credentials = try S3Credentials(environment: ["PARLEY_S3_ACCESS_KEY": "parley", "PARLEY_S3_SECRET_KEY": "s3cr3t"])
        #expect(credentials.accessKey == "parley")
        #expect(credentials.secretKey == "s3cr3t")
        #expect(!"\(credentials)".contains("s3cr3t"))
        #expect(throws: S3Credentials.Missing(variable: "PARLEY_S3_ACCESS_KEY")) { _ = try S3Credentials(environment: [:]) }
        #expect(throws: S3Credentials.Missing(variable: "PARLEY_S3_SECRET_KEY")) {
            _ = try S3Credentials(environment: ["PARLEY_S3_ACCESS_KEY": "parley", "PARLEY_S3_SECRET_KEY": ""])
        }
    }
}
