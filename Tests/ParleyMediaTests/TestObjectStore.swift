import Foundation
import ParleyMedia

/// The SeaweedFS that `scripts/test.sh` starts (`scripts/start-seaweedfs.sh`): its bucket
/// URL and the identity it checks signatures against, from `PARLEY_TEST_S3_URL`,
/// `PARLEY_TEST_S3_ACCESS_KEY` and `PARLEY_TEST_S3_SECRET_KEY`.
///
/// Unlike the PostgreSQL suites, the S3 tests fail rather than skip when these are
/// missing: the S3 store's signer is proven only against a real server, and a quiet skip
/// would let a run without one look green.
enum TestObjectStore {
    struct NotConfigured: Error, CustomStringConvertible {
        var variable: String
        var description: String {
            "\(variable) is not set: run the tests through scripts/test.sh, which starts a SeaweedFS (or source the env file scripts/start-seaweedfs.sh writes)"
        }
    }

    static func variable(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { throw NotConfigured(variable: name) }
        return value
    }

    static func location() throws -> S3Location {
        let url = try variable("PARLEY_TEST_S3_URL")
        guard case .s3(let location) = try BlobStoreLocation(parsing: url) else { throw NotConfigured(variable: "PARLEY_TEST_S3_URL (an s3:// URL)") }
        return location
    }

    static func credentials() throws -> S3Credentials {
        S3Credentials(accessKey: try variable("PARLEY_TEST_S3_ACCESS_KEY"), secretKey: try variable("PARLEY_TEST_S3_SECRET_KEY"))
    }

    /// A store on the test bucket (created if missing) with the right identity.
    static func store() async throws -> S3BlobStore {
        let store = S3BlobStore(location: try location(), credentials: try credentials())
        try await store.ensureBucket()
        return store
    }
}
