import Foundation
import NIOCore
import ParleyMedia

/// Bytes for blob tests: each byte a function of its offset, so a chunk delivered out of
/// order, twice or from the wrong offset is caught, without holding the expected bytes.
enum BlobTestBytes {
    /// The byte at `offset` of pattern `seed` (a multiplicative hash of the offset).
    static func byte(at offset: Int64, seed: UInt64 = 0) -> UInt8 {
        UInt8(truncatingIfNeeded: ((UInt64(offset) &+ seed) &* 0x9E37_79B9_7F4A_7C15) >> 56)
    }

    static func bytes(_ range: Range<Int64>, seed: UInt64 = 0) -> [UInt8] {
        range.map { byte(at: $0, seed: seed) }
    }

    /// A random key shaped like ours: 64 hex digits (and a suffix).
    static func key(suffix: String = "") -> String {
        (UUID().uuidString + UUID().uuidString).replacingOccurrences(of: "-", with: "").lowercased() + suffix
    }

    /// Writes `size` pattern bytes to a new file in `folder`, 1 MiB at a time.
    static func writeFile(in folder: String, size: Int64, seed: UInt64 = 0) throws -> String {
        let path = folder + "/upload-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var offset: Int64 = 0
        while offset < size {
            let end = min(size, offset + 1 << 20)
            try handle.write(contentsOf: bytes(offset..<end, seed: seed))
            offset = end
        }
        return path
    }

    /// What a body delivered: its length, its largest chunk, and whether every byte was the
    /// pattern's byte at `start` onwards.
    struct Reading {
        var length: Int64 = 0
        var largestChunk = 0
        var chunks = 0
        var matches = true
    }

    static func read(_ body: BlobBody, from start: Int64, seed: UInt64 = 0) async throws -> Reading {
        var reading = Reading()
        for try await chunk in body {
            reading.chunks += 1
            reading.largestChunk = max(reading.largestChunk, chunk.readableBytes)
            chunk.withUnsafeReadableBytes { bytes in
                for (index, value) in bytes.enumerated() where value != byte(at: start + reading.length + Int64(index), seed: seed) {
                    reading.matches = false
                    break
                }
            }
            reading.length += Int64(chunk.readableBytes)
        }
        return reading
    }
}
