import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOPosix

/// Attachment bytes in a bucket of an S3-compatible object store, shared by every node
/// (`--attachments s3://bucket?endpoint=http://host:port&region=us-east-1`).
///
/// Requests are path-style (`http://host:port/bucket/key`) and signed with AWS Signature
/// Version 4 (`AWSSignatureV4`), the body's SHA-256 included (`x-amz-content-sha256`; AWS
/// checks the body against it, SeaweedFS 4.48 checks only the signature). Uploads stream from disk in
/// 64 KiB chunks; downloads stream the response as the reader pulls it (AsyncHTTPClient
/// applies back-pressure), so neither holds a whole file. A `200` from `PUT` is the store's
/// promise that the object is durable. Errors carry the HTTP status and the S3 error code,
/// never the secret or a signature.
public struct S3BlobStore: BlobStore {
    /// Requests without a large body (HEAD, DELETE, small PUTs, the start of a GET).
    static let requestTimeout = TimeAmount.seconds(30)
    /// `checkReady`'s bound: AsyncHTTPClient retries a refused connection until the
    /// deadline, and a readiness probe must answer "not ready" well before it gives up.
    static let readinessTimeout = TimeAmount.seconds(5)
    /// The slowest upload to the store tolerated, added to `requestTimeout` per byte: a
    /// 25 MiB file may take 25 s more. (The store is a neighbour, not a phone.)
    static let minimumUploadBytesPerSecond: Int64 = 1024 * 1024
    /// How long a download may stream: the reader (a client's download) sets the pace, so
    /// this only ends transfers that stalled; 25 MiB at 15 KiB/s fits.
    static let downloadDeadline = TimeAmount.minutes(30)

    public let location: S3Location
    private let signer: AWSSignatureV4
    private let httpClient: HTTPClient
    private let threadPool: NIOThreadPool

    /// A store for the bucket at `location`. `httpClient` is the caller's (its lifetime is
    /// the caller's too); `threadPool` reads the files that `put(key:fromFile:…)` uploads.
    public init(location: S3Location, credentials: S3Credentials, httpClient: HTTPClient = .shared, threadPool: NIOThreadPool = .singleton) {
        self.location = location
        signer = AWSSignatureV4(credentials: credentials, region: location.region)
        self.httpClient = httpClient
        self.threadPool = threadPool
    }

    /// Creates the bucket when it does not exist yet (at start, before serving).
    public func ensureBucket() async throws {
        let head = try await send(method: "HEAD", key: nil)
        switch head.status.code {
        case 200: return
        case 404: break
        default: throw try await failure(head)
        }
        // Outside us-east-1 S3 wants the region in the body; there an empty body is the rule.
        let configuration =
            "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + "<LocationConstraint>\(location.region)</LocationConstraint></CreateBucketConfiguration>"
        let body: [UInt8] = location.region == BlobStoreLocation.defaultRegion ? [] : Array(configuration.utf8)
        let create = try await send(method: "PUT", key: nil, body: body.isEmpty ? nil : .bytes(body), payloadHash: Self.sha256(body))
        // 409 BucketAlreadyOwnedByYou: another node created it a moment ago.
        guard create.status == .ok || create.status == .conflict else { throw try await failure(create) }
        try await drain(create)
    }

    public func put(key: String, fromFile path: String, size: Int64, sha256: String?, contentType: String) async throws {
        try BlobKey.validate(key)
        guard let source = try await PositionalFileReader.open(path: path, threadPool: threadPool) else {
            throw BlobStoreError.fileSystem("no file to store at \(path)")
        }
        guard source.size == size else { throw BlobStoreError.sizeMismatch(path: path, expected: size, actual: source.size) }
        let payloadHash: String
        if let sha256 {
            guard sha256.utf8.count == 64, sha256.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
                throw BlobStoreError.fileSystem("the SHA-256 given for \(path) is not 64 lowercase hex digits")
            }
            payloadHash = sha256
        } else {
            payloadHash = try await Self.sha256(of: source, size: size)
        }
        let body = BlobBody(source: .file(source, 0..<size))
        let response = try await send(
            method: "PUT", key: key, contentType: contentType, body: .stream(body, length: .known(size)),
            payloadHash: payloadHash, timeout: Self.requestTimeout + .seconds(size / Self.minimumUploadBytesPerSecond))
        guard response.status == .ok else { throw try await failure(response) }
        try await drain(response)
    }

    public func put(key: String, bytes: [UInt8], contentType: String) async throws {
        try BlobKey.validate(key)
        let response = try await send(
            method: "PUT", key: key, contentType: contentType, body: .bytes(bytes), payloadHash: Self.sha256(bytes),
            timeout: Self.requestTimeout + .seconds(Int64(bytes.count) / Self.minimumUploadBytesPerSecond))
        guard response.status == .ok else { throw try await failure(response) }
        try await drain(response)
    }

    public func read(key: String, range: ClosedRange<Int64>?) async throws -> BlobBody {
        try BlobKey.validate(key)
        if let range, range.lowerBound < 0 { throw BlobStoreError.rangeNotSatisfiable(key) }
        let response = try await send(
            method: "GET", key: key, range: range.map { "bytes=\($0.lowerBound)-\($0.upperBound)" }, timeout: Self.downloadDeadline)
        switch (response.status.code, range) {
        case (200, nil), (206, .some):
            return BlobBody(source: .response(response.body))
        case (404, _):
            try await drain(response)
            throw BlobStoreError.notFound(key)
        case (416, _):
            try await drain(response)
            throw BlobStoreError.rangeNotSatisfiable(key)
        case (200, .some):
            // A store that ignores Range would hand out the wrong bytes as the range.
            try await drain(response)
            throw BlobStoreError.objectStore(
                status: 200, code: "RangeIgnored", message: "the object store answered a ranged GET with the whole object")
        default:
            throw try await failure(response)
        }
    }

    public func delete(key: String) async throws {
        try BlobKey.validate(key)
        let response = try await send(method: "DELETE", key: key)
        // S3 answers 204 whether or not the key existed; some stores answer 404 for a missing one.
        guard response.status == .noContent || response.status == .ok || response.status == .notFound else { throw try await failure(response) }
        try await drain(response)
    }

    public func checkReady() async throws {
        let response = try await send(method: "HEAD", key: nil, timeout: Self.readinessTimeout)
        guard response.status == .ok else { throw try await failure(response) }
    }

    /// Sends a signed request for the bucket (`key` nil) or one of its objects.
    private func send(
        method: String, key: String?, contentType: String? = nil, range: String? = nil, body: HTTPClientRequest.Body? = nil,
        payloadHash: String = AWSSignatureV4.emptyPayloadHash, timeout: TimeAmount = requestTimeout
    ) async throws -> HTTPClientResponse {
        let segments = [location.bucket] + (key.map { [$0] } ?? [])
        var request = HTTPClientRequest(url: location.endpoint + "/" + segments.map(AWSSignatureV4.uriEncode).joined(separator: "/"))
        request.method = .init(rawValue: method)
        var headers: [(name: String, value: String)] = [(name: "host", value: location.hostHeader)]
        if let contentType { headers.append((name: "content-type", value: contentType)) }
        if let range { headers.append((name: "range", value: range)) }
        headers += signer.signedHeaders(
            method: method, pathSegments: segments, query: [], headers: headers, payloadHash: payloadHash, date: Date())
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        // Without a body AsyncHTTPClient sends `Content-Length: 0` for PUT itself.
        if let body { request.body = body }
        do {
            return try await httpClient.execute(request, timeout: timeout)
        } catch let error as BlobStoreError {
            throw error
        } catch {
            throw BlobStoreError.unavailable("\(method) \(location.endpoint)/\(location.bucket)\(key.map { "/" + $0 } ?? ""): \(error)")
        }
    }

    /// The `BlobStoreError` for an unexpected answer, from its status and S3 error body.
    private func failure(_ response: HTTPClientResponse) async throws -> BlobStoreError {
        var text = ""
        do {
            var collected = try await response.body.collect(upTo: S3ErrorResponse.maximumBodyLength)
            text = collected.readString(length: collected.readableBytes) ?? ""
        } catch {
            // An oversized or broken error body: the status alone still says what happened.
        }
        let parsed = S3ErrorResponse(body: text, status: Int(response.status.code), reason: response.status.reasonPhrase)
        return .objectStore(status: Int(response.status.code), code: parsed.code, message: parsed.message)
    }

    /// Reads and drops a body we do not need, so the connection can be reused.
    private func drain(_ response: HTTPClientResponse) async throws {
        for try await _ in response.body {}
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        AWSSignatureV4.hex(SHA256.hash(data: bytes))
    }

    /// The hex SHA-256 of the first `size` bytes of `file`, read in 64 KiB chunks.
    static func sha256(of file: PositionalFileReader, size: Int64) async throws -> String {
        var hasher = SHA256()
        var offset: Int64 = 0
        while offset < size {
            let chunk = try await file.read(at: offset, length: Int(min(size - offset, Int64(PositionalFileReader.chunkLength))))
            guard chunk.readableBytes > 0 else { throw BlobStoreError.sizeMismatch(path: file.path, expected: size, actual: offset) }
            chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            offset += Int64(chunk.readableBytes)
        }
        return AWSSignatureV4.hex(hasher.finalize())
    }
}
