import Foundation

#if canImport(Glibc)
    import Glibc
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin
    private let systemWrite = Darwin.write
#endif

/// Files only their owner may read or write (mode 0600), written whole or not at all: the
/// device's private keys, and the device keys it remembers of others.
enum OwnerOnlyFile {
    /// Largest file read back: an identity is under 200 bytes; a key store of a few
    /// thousand remembered devices is under 1 MiB.
    static let maxBytes = 4 << 20

    /// Writes `bytes` under a temporary name created with mode 0600 (never readable by
    /// others, not even for a moment), flushes, then renames it over `path`.
    static func write(_ bytes: Data, to path: String) throws {
        let temporary = path + ".tmp-\(UUID().uuidString)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw E2EEError.keyFile(path: path, reason: String(cString: strerror(errno))) }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            if systemWrite(descriptor, buffer.baseAddress, buffer.count) != buffer.count || fsync(descriptor) != 0 {
                failure = String(cString: strerror(errno))
            }
        }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw E2EEError.keyFile(path: path, reason: failure)
        }
    }

    /// The bytes of `path`, at most `maxBytes`.
    static func read(_ path: String) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw E2EEError.keyFile(path: path, reason: "cannot be opened")
        }
        defer { try? handle.close() }
        let bytes = try handle.read(upToCount: maxBytes + 1) ?? Data()
        guard bytes.count <= maxBytes else { throw E2EEError.keyFile(path: path, reason: "larger than \(maxBytes) bytes") }
        return bytes
    }
}
