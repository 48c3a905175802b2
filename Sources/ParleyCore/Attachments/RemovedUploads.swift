/// What removing expired unsent uploads did: how many records went, and the blob keys
/// (content and thumbnails) that no remaining attachment uses, for the caller to delete.
public struct RemovedUploads: Sendable, Equatable {
    public var count: Int
    public var unusedBlobKeys: [String]

    public init(count: Int, unusedBlobKeys: [String]) {
        self.count = count
        self.unusedBlobKeys = unusedBlobKeys
    }
}
