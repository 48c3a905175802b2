import Foundation
import ParleyMedia
import Testing

/// What only the folder store has: its layout on disk, and what it must not follow.
@Suite struct FolderBlobStoreTests {
    @Test func blobsLiveInTwoCharacterShardsWithNoTemporaryFilesLeft() async throws {
        try await TemporaryFolder.with { folder in
            let store = try FolderBlobStore(path: folder + "/a/b/attachments")
            let key = BlobTestBytes.key()
            try await store.put(key: key, bytes: [1, 2, 3], contentType: "text/plain")
            try await store.put(key: key + ".thumb", bytes: [4], contentType: "image/jpeg")
            let shard = folder + "/a/b/attachments/" + key.prefix(2)
            #expect(try FileManager.default.contentsOfDirectory(atPath: shard).sorted() == [key, key + ".thumb"])
            #expect(FileManager.default.contents(atPath: shard + "/" + key) == Data([1, 2, 3]))
            // A failed put (no such source file) leaves nothing behind either.
            await #expect(throws: BlobStoreError.self) {
                try await store.put(key: key + ".x", fromFile: folder + "/missing", size: 1, contentType: "text/plain")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: shard).count == 2)
        }
    }

    @Test func aRelativePathIsResolvedOnceAgainstTheWorkingDirectory() async throws {
        let relative = "./.build/parley-blob-test-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: relative) }
        let store = try FolderBlobStore(path: relative)
        #expect(store.root.hasPrefix("/"))
        #expect(!store.root.contains("/./"))
        #expect(FileManager.default.fileExists(atPath: store.root))
    }

    /// A symbolic link planted where a blob should be is not followed out of the folder.
    @Test func aSymbolicLinkInPlaceOfABlobIsNotFollowed() async throws {
        try await TemporaryFolder.with { folder in
            let store = try FolderBlobStore(path: folder + "/attachments")
            let secret = folder + "/secret"
            #expect(FileManager.default.createFile(atPath: secret, contents: Data("do not serve".utf8)))
            let key = BlobTestBytes.key()
            try FileManager.default.createDirectory(atPath: store.root + "/" + key.prefix(2), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: store.root + "/" + key.prefix(2) + "/" + key, withDestinationPath: secret)
            await #expect(throws: BlobStoreError.self) { _ = try await store.read(key: key, range: nil).collect(upTo: 1000) }
        }
    }

    @Test func aFolderThatCannotBeCreatedIsAnErrorAtStart() async throws {
        try await TemporaryFolder.with { folder in
            let file = folder + "/file"
            #expect(FileManager.default.createFile(atPath: file, contents: Data()))
            #expect(throws: BlobStoreError.self) { _ = try FolderBlobStore(path: file + "/attachments") }
        }
    }
}
