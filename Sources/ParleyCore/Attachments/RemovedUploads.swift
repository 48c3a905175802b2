/// What removing expired unsent uploads did: how many records went, and the blob keys
/// (content and thumbnails) that no remaining attachment uses, for the caller to delete.
/// A user's uploads not yet sent: how many, and their bytes.
public struct UploadUsage: Sendable, Equatable {
    public var count: Int
    public var bytes: Int64

    public init(count: Int, bytes: Int64) {
        self.count = count
        self.bytes = bytes
    }
}

public struct RemovedUploads: Sendable, Equatable {
    public var count: Int
    public var unusedBlobKeys: [String]

    public init(count: Int, unusedBlobKeys: [String]) {
        self.count = count
        self.unusedBlobKeys = unusedBlobKeys
    }
}
