import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// An open, read-only file read by offset (`pread`) on a thread pool, never on an event
/// loop or the cooperative pool.
///
/// It owns its descriptor and closes it when the last reference goes, so a `BlobBody`
/// that is dropped half-read (a client that hangs up) leaks nothing. Reading by offset
/// keeps no position: any number of iterators may read it, each with its own offset.
final class PositionalFileReader: Sendable {
    /// The largest chunk one read returns: bounds the memory of every download and copy
    /// in flight to this much each (50 concurrent downloads hold 3 MiB).
    static let chunkLength = 64 * 1024

    let path: String
    /// The file's size when it was opened.
    let size: Int64
    private let descriptor: CInt
    private let threadPool: NIOThreadPool

    private init(path: String, descriptor: CInt, size: Int64, threadPool: NIOThreadPool) {
        self.path = path
        self.descriptor = descriptor
        self.size = size
        self.threadPool = threadPool
    }

    deinit {
        close(descriptor)
    }

    /// Opens the regular file at `path`; `nil` when there is none (`ENOENT`).
    static func open(path: String, threadPool: NIOThreadPool) async throws -> PositionalFileReader? {
        let opened: (descriptor: CInt, size: Int64)? = try await threadPool.runIfActive {
            let descriptor = Self.openReadOnly(path)
            guard descriptor >= 0 else {
                let code = errno
                if code == ENOENT { return nil }
                throw BlobStoreError.fileSystem("cannot open \(path): \(String(cString: strerror(code)))")
            }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else {
                let code = errno
                close(descriptor)
                throw BlobStoreError.fileSystem("cannot stat \(path): \(String(cString: strerror(code)))")
            }
            guard (status.st_mode & S_IFMT) == S_IFREG else {
                close(descriptor)
                throw BlobStoreError.fileSystem("\(path) is not a regular file")
            }
            return (descriptor, Int64(status.st_size))
        }
        guard let opened else { return nil }
        return PositionalFileReader(path: path, descriptor: opened.descriptor, size: opened.size, threadPool: threadPool)
    }

    /// Up to `length` bytes (at most `chunkLength`) from `offset`; fewer only at the end
    /// of the file, none past it.
    func read(at offset: Int64, length: Int) async throws -> ByteBuffer {
        let descriptor = descriptor
        let path = path
        return try await threadPool.runIfActive { try Self.readBlocking(descriptor, at: offset, length: length, path: path) }
    }

    /// Reads like `read(at:length:)` and writes what it read to `destination`, in one trip
    /// to the thread pool; returns the number of bytes copied (0 at the end of the file).
    func copy(at offset: Int64, length: Int, to destination: CInt, destinationPath: String) async throws -> Int {
        let descriptor = descriptor
        let path = path
        return try await threadPool.runIfActive {
            let chunk = try Self.readBlocking(descriptor, at: offset, length: length, path: path)
            try BlockingFileOperations.writeAll(chunk, to: destination, path: destinationPath)
            return chunk.readableBytes
        }
    }

    private static func readBlocking(_ descriptor: CInt, at offset: Int64, length: Int, path: String) throws -> ByteBuffer {
        let length = Swift.min(length, chunkLength)
        var buffer = ByteBufferAllocator().buffer(capacity: length)
        while buffer.readableBytes < length {
            let filled = buffer.readableBytes
            let count = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length - filled) { pointer in
                var result: Int
                repeat {
                    result = pread(descriptor, pointer.baseAddress, length - filled, off_t(offset) + off_t(filled))
                } while result < 0 && errno == EINTR
                guard result >= 0 else {
                    throw BlobStoreError.fileSystem("cannot read \(path): \(String(cString: strerror(errno)))")
                }
                return result
            }
            if count == 0 { break }  // the end of the file
        }
        return buffer
    }

    /// Opens without following a symbolic link in the last component and with close-on-exec,
    /// so a child process inherits nothing.
    private static func openReadOnly(_ path: String) -> CInt {
        var descriptor: CInt
        repeat {
            #if canImport(Glibc)
            descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            #else
            descriptor = Darwin.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            #endif
        } while descriptor < 0 && errno == EINTR
        return descriptor
    }
}
