import NIOCore
import Synchronization

/// Blobs in a dictionary: for tests of the code above the stores, where the folder or an
/// object store would only add set-up. It keeps every rule the real stores keep (keys,
/// ranges, errors), so what passes on it passes there; durability it has none.
public final class InMemoryBlobStore: BlobStore {
    private let blobs = Mutex<[String: ByteBuffer]>([:])

    public init() {}

    public func put(key: String, fromFile path: String, size: Int64, sha256: String?, contentType: String) async throws {
        try BlobKey.validate(key)
        guard let source = try await PositionalFileReader.open(path: path, threadPool: .singleton) else {
            throw BlobStoreError.fileSystem("no file to store at \(path)")
        }
        guard source.size == size else { throw BlobStoreError.sizeMismatch(path: path, expected: size, actual: source.size) }
        let bytes = try await BlobBody(source: .file(source, 0..<size)).collect(upTo: Int(size))
        blobs.withLock { $0[key] = bytes }
    }

    public func put(key: String, bytes: [UInt8], contentType: String) async throws {
        try BlobKey.validate(key)
        blobs.withLock { $0[key] = ByteBuffer(bytes: bytes) }
    }

    public func read(key: String, range: ClosedRange<Int64>?) async throws -> BlobBody {
        try BlobKey.validate(key)
        guard let bytes = blobs.withLock({ $0[key] }) else { throw BlobStoreError.notFound(key) }
        let span = try BlobRange.resolve(range, size: Int64(bytes.readableBytes), key: key)
        return BlobBody(bytes: bytes.getSlice(at: bytes.readerIndex + Int(span.lowerBound), length: span.count)!)
    }

    public func delete(key: String) async throws {
        try BlobKey.validate(key)
        _ = blobs.withLock { $0.removeValue(forKey: key) }
    }

    public func checkReady() async throws {}
}
