import Crypto
import Foundation
import NIOCore
import NIOFileSystem
import Synchronization

/// Receives an upload's bytes into a temporary file as they arrive, hashing them, keeping
/// their first bytes for sniffing and checking whether they are text: a 25 MiB upload
/// is never held in memory, and each byte is looked at once.
public struct UploadSpool: Sendable {
    /// Where temporary files go (created if missing).
    public let directory: String
    /// Files of uploads this process is receiving or has not discarded yet: never swept,
    /// however long a slow client takes.
    private let inUse: InUse

    public init(directory: String) throws {
        self.directory = directory
        inUse = InUse()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Writes `chunks` to a new temporary file. Throws `UploadTooLarge` as soon as more
    /// than `maxBytes` arrived (the partial file is removed), and `EmptyUpload` for none.
    public func receive<Chunks: AsyncSequence>(_ chunks: Chunks, maxBytes: Int) async throws -> SpooledUpload
    where Chunks.Element == ByteBuffer {
        let path = directory + "/upload-" + UUID().uuidString.lowercased()
        inUse.paths.withLock { _ = $0.insert(path) }
        var hasher = SHA256()
        var size: Int64 = 0
        var prefix: [UInt8] = []
        var text = UTF8Validation()
        do {
            try await FileSystem.shared.withFileHandle(
                forWritingAt: FilePath(path), options: .newFile(replaceExisting: false)
            ) { handle in
                var writer = handle.bufferedWriter()
                for try await chunk in chunks {
                    size += Int64(chunk.readableBytes)
                    if size > Int64(maxBytes) { throw UploadTooLarge(limit: maxBytes) }
                    chunk.withUnsafeReadableBytes { bytes in
                        hasher.update(bufferPointer: bytes)
                        text.feed(bytes)
                        if prefix.count < ContentSniffer.prefixLength {
                            prefix += bytes.prefix(ContentSniffer.prefixLength - prefix.count)
                        }
                    }
                    try await writer.write(contentsOf: chunk)
                }
                try await writer.flush()
            }
        } catch {
            discard(path)
            throw error
        }
        guard size > 0 else {
            discard(path)
            throw EmptyUpload()
        }
        return SpooledUpload(
            path: path, size: size, sha256: Digest.hex(hasher.finalize()), prefix: prefix, isText: text.isComplete)
    }

    /// Removes the temporary files of uploads a crash interrupted: those not touched for
    /// `age` and not in use by this process. Returns how many went.
    @discardableResult
    public func removeAbandoned(olderThan age: Duration) -> Int {
        let cutoff = Date().addingTimeInterval(-Double(age.components.seconds))
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var removed = 0
        let active = inUse.paths.withLock { $0 }
        // NIOFileSystem writes a new file unnamed (O_TMPFILE) and names it when complete;
        // where the file system cannot, it writes `.tmp-…` beside it and renames it.
        for name in names where name.hasPrefix("upload-") || name.hasPrefix(".tmp-") {
            let path = directory + "/" + name
            guard !active.contains(path) else { continue }
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                modified < cutoff
            else { continue }
            Self.remove(path)
            removed += 1
        }
        return removed
    }

    /// Removes a received upload's temporary file (once it is stored, or refused).
    public func discard(_ path: String) {
        inUse.paths.withLock { _ = $0.remove(path) }
        Self.remove(path)
    }

    /// Removes a temporary file; nothing when it is already gone.
    static func remove(_ path: String) {
        _ = unlink(path)
    }
}

/// More bytes arrived than the attachment limit allows.
public struct UploadTooLarge: Error, Sendable {
    public let limit: Int
}

/// An upload without a single byte.
public struct EmptyUpload: Error, Sendable {}

extension UploadSpool {
    /// The paths in use, shared by every copy of the spool.
    final class InUse: Sendable {
        let paths = Mutex<Set<String>>([])
    }
}
