import NIOCore

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The blocking system calls of the folder store, each retried on `EINTR` and turned into
/// `BlobStoreError.fileSystem` naming the path and the reason. Call them only on a thread
/// pool (`NIOThreadPool.runIfActive`), never on an event loop or the cooperative pool.
enum BlockingFileOperations {
    /// Creates the directory at `path` (mode 0755); `false` when it already existed.
    static func makeDirectory(_ path: String) throws(BlobStoreError) -> Bool {
        if retrying({ mkdir(path, 0o755) }) == 0 { return true }
        let code = errno
        if code == EEXIST { return false }
        throw failure("cannot create the folder \(path)", code)
    }

    /// Flushes a directory's entries (a new name, a rename) to the disk.
    static func synchronizeDirectory(_ path: String) throws(BlobStoreError) {
        let descriptor = retrying { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw failure("cannot open the folder \(path)", errno) }
        defer { close(descriptor) }
        guard retrying({ fsync(descriptor) }) == 0 else { throw failure("cannot flush the folder \(path)", errno) }
    }

    /// Creates `path`, which must not exist, for writing (mode 0644).
    static func createNew(_ path: String) throws(BlobStoreError) -> CInt {
        let descriptor = retrying { open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644) }
        guard descriptor >= 0 else { throw failure("cannot create \(path)", errno) }
        return descriptor
    }

    /// Writes all of `buffer` to `descriptor`.
    static func writeAll(_ buffer: ByteBuffer, to descriptor: CInt, path: String) throws(BlobStoreError) {
        let written: Result<Void, BlobStoreError> = buffer.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let result = retrying { write(descriptor, bytes.baseAddress! + offset, bytes.count - offset) }
                guard result > 0 else { return .failure(failure("cannot write \(path)", errno)) }
                offset += result
            }
            return .success(())
        }
        try written.get()
    }

    /// Flushes a file's bytes and size to the disk.
    static func synchronize(_ descriptor: CInt, path: String) throws(BlobStoreError) {
        guard retrying({ fsync(descriptor) }) == 0 else { throw failure("cannot flush \(path)", errno) }
    }

    /// Moves `source` over `destination` in one step (`rename(2)` replaces atomically: a
    /// reader sees the old file or the new one, never a part).
    static func replace(_ destination: String, with source: String) throws(BlobStoreError) {
        guard retrying({ rename(source, destination) }) == 0 else { throw failure("cannot rename \(source) to \(destination)", errno) }
    }

    /// Removes the file at `path`; `false` when there was none.
    @discardableResult
    static func remove(_ path: String) throws(BlobStoreError) -> Bool {
        if retrying({ unlink(path) }) == 0 { return true }
        let code = errno
        if code == ENOENT { return false }
        throw failure("cannot remove \(path)", code)
    }

    /// Whether this process may create and remove files in the directory at `path`.
    static func checkWritableDirectory(_ path: String) throws(BlobStoreError) {
        var status = stat()
        guard stat(path, &status) == 0 else { throw failure("cannot reach the folder \(path)", errno) }
        guard (status.st_mode & S_IFMT) == S_IFDIR else { throw .fileSystem("\(path) is not a folder") }
        guard access(path, W_OK | X_OK) == 0 else { throw failure("cannot write in the folder \(path)", errno) }
    }

    private static func retrying<Result: BinaryInteger>(_ call: () -> Result) -> Result {
        var result: Result
        repeat { result = call() } while result < 0 && errno == EINTR
        return result
    }

    private static func failure(_ what: String, _ code: CInt) -> BlobStoreError {
        .fileSystem("\(what): \(String(cString: strerror(code)))")
    }
}
