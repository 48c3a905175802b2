/// Why a `BlobStore` could not do what was asked. Messages never carry a secret or a
/// signature: they name the key, the status and the object store's error code.
public enum BlobStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No blob under this key.
    case notFound(String)
    /// The key is not one of ours (see `BlobKey`); nothing was touched.
    case invalidKey(String)
    /// The requested range starts at or past the end of the blob (or before its start).
    case rangeNotSatisfiable(String)
    /// The file to store holds a different number of bytes than the caller said.
    case sizeMismatch(path: String, expected: Int64, actual: Int64)
    /// The local file system refused (the folder store, or reading a file to upload).
    case fileSystem(String)
    /// The object store answered with an error: HTTP status, S3 error code (e.g.
    /// `SignatureDoesNotMatch`, `AccessDenied`) and its message.
    case objectStore(status: Int, code: String, message: String)
    /// The object store could not be reached or did not answer in time.
    case unavailable(String)
    /// `BlobBody.collect(upTo:)` met more bytes than its reader allowed.
    case bodyTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .notFound(let key): "no blob under key \(key)"
        case .invalidKey(let key): "invalid blob key \(key.debugDescription)"
        case .rangeNotSatisfiable(let key): "the range asked of \(key) is outside the blob"
        case .sizeMismatch(let path, let expected, let actual): "\(path) holds \(actual) bytes, not the \(expected) announced"
        case .fileSystem(let message): "file system: \(message)"
        case .objectStore(let status, let code, let message): "object store: HTTP \(status) \(code): \(message)"
        case .unavailable(let message): "object store unavailable: \(message)"
        case .bodyTooLarge(let limit): "a blob body exceeded the \(limit) bytes its reader allowed"
        }
    }
}
