import Foundation
import ParleyMedia
import Testing

/// The stores the one behaviour suite runs against.
enum BlobStoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    /// A new folder under the temporary directory, removed afterwards.
    case folder
    /// The test SeaweedFS (`TestObjectStore`); keys are random, so tests share its bucket.
    case s3
    /// The dictionary that tests of the layers above use.
    case memory

    var testDescription: String { rawValue }

    /// Runs `body` with a store of this kind.
    func withStore(_ body: (any BlobStore) async throws -> Void) async throws {
        switch self {
        case .folder:
            try await TemporaryFolder.with { folder in try await body(try FolderBlobStore(path: folder + "/attachments")) }
        case .s3:
            try await body(try await TestObjectStore.store())
        case .memory:
            try await body(InMemoryBlobStore())
        }
    }
}
