/// Where attachment bytes live: a folder on this node (`FolderBlobStore`, the default) or
/// an S3-compatible object store that several nodes share (`S3BlobStore`).
///
/// Keys are ours (`BlobKey`): `"<sha256 hex>"` for content, `"<sha256 hex>.thumb"` for
/// derived bytes. Since a key names its content, writing a key twice writes the same bytes
/// and concurrent writers of one key need no coordination. Every method validates the key
/// first and throws `BlobStoreError.invalidKey` without touching anything.
///
/// ```swift
/// let store = try FolderBlobStore(path: "./parley-data/attachments")
/// try await store.put(key: digest, fromFile: upload, size: size, contentType: "image/jpeg")
/// for try await chunk in try await store.read(key: digest, range: 0...1023) { … }
/// ```
public protocol BlobStore: Sendable {
    /// Copies the file at `path` (exactly `size` bytes) to `key`, durably: once this returns
    /// the bytes survive a crash or restart. An existing key is overwritten. `sha256`, when
    /// the caller already has it (lowercase hex of the file's SHA-256), spares the S3 store
    /// reading the file twice (it is signed as the body's hash; AWS checks the bytes
    /// against it, not every S3-compatible store does).
    func put(key: String, fromFile path: String, size: Int64, sha256: String?, contentType: String) async throws
    /// Same for bytes in memory (cleaned images, thumbnails: a few MB at most).
    func put(key: String, bytes: [UInt8], contentType: String) async throws
    /// The bytes of `key` in `range` (inclusive offsets; the whole blob when nil), pulled in
    /// chunks as the reader iterates — never the whole blob in memory. Throws
    /// `BlobStoreError.notFound` for a missing key and `.rangeNotSatisfiable` for a range
    /// that starts at or past the end (a last byte past the end is clamped; see `BlobRange`).
    func read(key: String, range: ClosedRange<Int64>?) async throws -> BlobBody
    /// Removes `key`; no error when it is already gone.
    func delete(key: String) async throws
    /// Throws when the store cannot answer (for `/ready`).
    func checkReady() async throws
}

extension BlobStore {
    /// Copies the file at `path` (exactly `size` bytes) to `key`, durably; see
    /// `put(key:fromFile:size:sha256:contentType:)`.
    public func put(key: String, fromFile path: String, size: Int64, contentType: String) async throws {
        try await put(key: key, fromFile: path, size: size, sha256: nil, contentType: contentType)
    }
}
