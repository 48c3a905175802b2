import Foundation
import NIOCore
import ParleyTestSupport
import Testing

@testable import ParleyMedia

/// What only the S3 store has: a signer the server checks, a bucket to create, a server
/// that may be away. Runs against the test SeaweedFS, which verifies AWS Signature
/// Version 4 for the identity `scripts/start-seaweedfs.sh` configured.
@Suite struct S3BlobStoreTests {
    @Test func aWrongSecretKeyIsRefusedByTheServer() async throws {
        let right = try TestObjectStore.credentials()
        let wrongSecret = String(right.secretKey.reversed()) + "x"
        let store = S3BlobStore(
            location: try TestObjectStore.location(), credentials: S3Credentials(accessKey: right.accessKey, secretKey: wrongSecret))
        let key = BlobTestBytes.key()
        do {
            try await store.put(key: key, bytes: [1, 2, 3], contentType: "text/plain")
            Issue.record("a put signed with the wrong secret was accepted")
        } catch let error as BlobStoreError {
            guard case .objectStore(let status, let code, _) = error else {
                Issue.record("expected the object store's refusal, got \(error)")
                return
            }
            #expect(status == 403)
            #expect(code == "SignatureDoesNotMatch")
            #expect(!"\(error)".contains(wrongSecret))
            #expect(!"\(error)".contains("Signature="))
        }
        await #expect(throws: BlobStoreError.self) { _ = try await store.read(key: key, range: nil) }
        await #expect(throws: BlobStoreError.self) { try await store.checkReady() }
        // Nothing was written: the right identity finds no such key.
        await #expect(throws: BlobStoreError.notFound(key)) { _ = try await TestObjectStore.store().read(key: key, range: nil) }
    }

    @Test func anUnknownAccessKeyIsRefusedByTheServer() async throws {
        let right = try TestObjectStore.credentials()
        let store = S3BlobStore(
            location: try TestObjectStore.location(), credentials: S3Credentials(accessKey: "nobody" + right.accessKey, secretKey: right.secretKey))
        await #expect {
            try await store.put(key: BlobTestBytes.key(), bytes: [1], contentType: "text/plain")
        } throws: { error in
            guard case BlobStoreError.objectStore(let status, let code, _) = error else { return false }
            return status == 403 && code == "InvalidAccessKeyId"
        }
    }

    @Test func aGivenHashThatIsRightIsAccepted() async throws {
        let store = try await TestObjectStore.store()
        try await TemporaryFolder.with { folder in
            // SHA-256 of 3 bytes "abc", the FIPS 180-2 example.
            let path = folder + "/abc"
            #expect(FileManager.default.createFile(atPath: path, contents: Data("abc".utf8)))
            let key = BlobTestBytes.key()
            try await store.put(
                key: key, fromFile: path, size: 3, sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                contentType: "text/plain")
            let bytes = try await store.read(key: key, range: nil).collect(upTo: 100)
            #expect(bytes == ByteBuffer(string: "abc"))
        }
    }

    /// Outside us-east-1 the bucket is created with its region in the body, and requests are
    /// signed for that region.
    @Test(arguments: ["us-east-1", "eu-west-1"])
    func ensureBucketCreatesAMissingBucketOnce(region: String) async throws {
        var location = try TestObjectStore.location()
        location.region = region
        location.bucket = "parley-ensure-" + UUID().uuidString.prefix(8).lowercased()
        let store = S3BlobStore(location: location, credentials: try TestObjectStore.credentials())
        await #expect {
            try await store.checkReady()
        } throws: { error in
            guard case BlobStoreError.objectStore(let status, _, _) = error else { return false }
            return status == 404
        }
        try await store.ensureBucket()
        try await store.ensureBucket()
        try await store.checkReady()
        let key = BlobTestBytes.key()
        try await store.put(key: key, bytes: [7], contentType: "text/plain")
        #expect(try await store.read(key: key, range: nil).collect(upTo: 10) == ByteBuffer(bytes: [7]))
        try await store.delete(key: key)
    }

    @Test func aStoreThatDoesNotAnswerIsNotReady() async throws {
        let port = try LoopbackPort.free()
        let location = S3Location(bucket: "parley-test", scheme: "http", host: "127.0.0.1", port: port, region: "us-east-1")
        let store = S3BlobStore(location: location, credentials: S3Credentials(accessKey: "a", secretKey: "b"))
        await #expect {
            try await store.checkReady()
        } throws: { error in
            guard case BlobStoreError.unavailable = error else { return false }
            return true
        }
    }

    /// The example in AWS's SigV4 documentation for S3 ("GET Object" with a Range):
    /// the same canonical request must give AWS's signature.
    @Test func theSignerReproducesAWSsPublishedExample() async throws {
        let signer = AWSSignatureV4(
            credentials: S3Credentials(accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), region: "us-east-1")
        let headers = signer.signedHeaders(
            method: "GET", pathSegments: ["test.txt"], query: [],
            headers: [(name: "Host", value: "examplebucket.s3.amazonaws.com"), (name: "Range", value: "bytes=0-9")],
            payloadHash: AWSSignatureV4.emptyPayloadHash, date: Date(timeIntervalSince1970: 1_369_353_600))
        #expect(headers.first { $0.name == "x-amz-date" }?.value == "20130524T000000Z")
        #expect(
            headers.first { $0.name == "Authorization" }?.value
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
    }
}
