import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Attachment bytes in a folder on this node: the embedded default
/// (`--attachments file://./parley-data/attachments`).
///
/// A blob is the file `<folder>/<first two characters of the key>/<key>` (`ab/abcdef…`):
/// sharding keeps any one directory to a few thousand entries. A put writes a new file
/// `.tmp-<random>` in the shard, flushes it (`fsync`), renames it over the key and flushes
/// the shard directory before it returns, so a blob that `put` reported stored survives a
/// crash or power loss, and a reader never sees half a file. Keys are checked (`BlobKey`)
/// before any path is formed, so no key reaches outside the folder.
///
/// Every system call runs on `threadPool` (the blocking pool NIO shares with
/// NIOFileSystem by default), one chunk of at most 64 KiB at a time, so concurrent
/// uploads and downloads interleave and none holds more than a chunk in memory.
///
/// Not done here: deletions are not flushed (a blob that reappears after a crash is only
/// an orphan, which the attachments' clean-up removes again), and `.tmp-` files that a
/// crash leaves behind stay until removed by hand.
public struct FolderBlobStore: BlobStore {
    /// The folder, as an absolute path (a relative one is resolved once, at start).
    public let root: String
    private let threadPool: NIOThreadPool
    /// Shards whose entry in `root` this process has flushed: a new shard directory must be
    /// durable before a blob in it is, and flushing `root` once per shard per run is enough.
    private let flushedShards: FlushedShards

    /// Uses (and creates, with its parents) the folder at `path`.
    public init(path: String, threadPool: NIOThreadPool = .singleton) throws {
        guard !path.isEmpty else { throw BlobStoreError.fileSystem("the attachments folder path is empty") }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        root = URL(fileURLWithPath: absolute).standardizedFileURL.path
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw BlobStoreError.fileSystem("cannot create the attachments folder \(root): \(error.localizedDescription)")
        }
        try BlockingFileOperations.checkWritableDirectory(root)
        self.threadPool = threadPool
        flushedShards = FlushedShards()
    }

    public func put(key: String, fromFile path: String, size: Int64, sha256: String?, contentType: String) async throws {
        try BlobKey.validate(key)
        guard let source = try await PositionalFileReader.open(path: path, threadPool: threadPool) else {
            throw BlobStoreError.fileSystem("no file to store at \(path)")
        }
        guard source.size == size else { throw BlobStoreError.sizeMismatch(path: path, expected: size, actual: source.size) }
        try await write(key: key) { file in
            var offset: Int64 = 0
            while offset < size {
                let copied = try await file.append(from: source, at: offset, length: Int(min(size - offset, Int64(PositionalFileReader.chunkLength))))
                guard copied > 0 else { throw BlobStoreError.sizeMismatch(path: path, expected: size, actual: offset) }
                offset += Int64(copied)
            }
        }
    }

    public func put(key: String, bytes: [UInt8], contentType: String) async throws {
        try BlobKey.validate(key)
        try await write(key: key) { file in
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + PositionalFileReader.chunkLength)
                try await file.append(ByteBuffer(bytes: bytes[offset..<end]))
                offset = end
            }
        }
    }

    public func read(key: String, range: ClosedRange<Int64>?) async throws -> BlobBody {
        try BlobKey.validate(key)
        guard let reader = try await PositionalFileReader.open(path: filePath(key), threadPool: threadPool) else {
            throw BlobStoreError.notFound(key)
        }
        return BlobBody(source: .file(reader, try BlobRange.resolve(range, size: reader.size, key: key)))
    }

    public func delete(key: String) async throws {
        try BlobKey.validate(key)
        let path = filePath(key)
        try await threadPool.runIfActive { try BlockingFileOperations.remove(path) }
    }

    public func checkReady() async throws {
        let root = root
        try await threadPool.runIfActive { try BlockingFileOperations.checkWritableDirectory(root) }
    }

    /// Where `key` (already validated) lives.
    func filePath(_ key: String) -> String {
        "\(root)/\(key.prefix(2))/\(key)"
    }

    /// Writes a new temporary file in `key`'s shard with `fill`, then makes it `key`'s
    /// durably (flush, rename, flush the shard); removes it when anything fails.
    private func write(key: String, _ fill: (TemporaryFile) async throws -> Void) async throws {
        let shard = "\(root)/\(key.prefix(2))"
        if !flushedShards.contains(shard) {
            // Flushed even when the shard existed: a crashed run or a concurrent put may have
            // made it without its entry in `root` reaching the disk yet.
            let root = root
            try await threadPool.runIfActive {
                _ = try BlockingFileOperations.makeDirectory(shard)
                try BlockingFileOperations.synchronizeDirectory(root)
            }
            flushedShards.insert(shard)
        }
        let temporaryPath = "\(shard)/.tmp-\(UUID().uuidString.lowercased())"
        let descriptor = try await threadPool.runIfActive { try BlockingFileOperations.createNew(temporaryPath) }
        var open = true
        do {
            try await fill(TemporaryFile(descriptor: descriptor, path: temporaryPath, threadPool: threadPool))
            // The descriptor is closed by this job whether the flush succeeds or not; it must
            // never be closed twice (its number may belong to another file by then).
            open = false
            try await threadPool.runIfActive {
                defer { close(descriptor) }
                try BlockingFileOperations.synchronize(descriptor, path: temporaryPath)
            }
            let destination = filePath(key)
            try await threadPool.runIfActive {
                try BlockingFileOperations.replace(destination, with: temporaryPath)
                try BlockingFileOperations.synchronizeDirectory(shard)
            }
        } catch {
            let closeFirst = open
            _ = try? await threadPool.runIfActive {
                if closeFirst { close(descriptor) }
                try? BlockingFileOperations.remove(temporaryPath)
            }
            throw error
        }
    }
}

extension FolderBlobStore {
    /// The shard directories whose creation this process has made durable.
    final class FlushedShards: Sendable {
        private let shards = Mutex<Set<String>>([])

        func contains(_ shard: String) -> Bool { shards.withLock { $0.contains(shard) } }
        func insert(_ shard: String) { _ = shards.withLock { $0.insert(shard) } }
    }

    /// A file being written under a temporary name, owned by one `put`.
    struct TemporaryFile: Sendable {
        let descriptor: CInt
        let path: String
        let threadPool: NIOThreadPool

        func append(_ chunk: ByteBuffer) async throws {
            let descriptor = descriptor
            let path = path
            try await threadPool.runIfActive { try BlockingFileOperations.writeAll(chunk, to: descriptor, path: path) }
        }

        /// Copies up to `length` bytes at `offset` of `source` to the end of the file.
        func append(from source: PositionalFileReader, at offset: Int64, length: Int) async throws -> Int {
            try await source.copy(at: offset, length: length, to: descriptor, destinationPath: path)
        }
    }
}
