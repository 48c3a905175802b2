import Foundation
import NIOCore
import ParleyMedia
import Testing

/// The upload spool: what it learns while writing, its limits, and the sweep of files a
/// crash left behind.
@Suite struct UploadSpoolTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parley-spool-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func chunks(_ parts: [[UInt8]]) -> AsyncStream<ByteBuffer> {
        AsyncStream { continuation in
            for part in parts { continuation.yield(ByteBuffer(bytes: part)) }
            continuation.finish()
        }
    }

    @Test func aFileIsHashedSniffedAndCheckedForTextAcrossChunkEdges() async throws {
        let path = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let spool = try UploadSpool(directory: path)
        // "envío ñ" with its two-byte characters cut across chunks.
        let text = Array("envío ñ".utf8)
        let upload = try await spool.receive(Self.chunks([Array(text[0..<4]), Array(text[4..<5]), Array(text[5...])]), maxBytes: 100)
        #expect(upload.size == Int64(text.count) && upload.isText)
        #expect(upload.sha256 == "\(Digest.sha256Hex(text))" && upload.prefix == text)
        #expect(try Data(contentsOf: URL(fileURLWithPath: upload.path)) == Data(text))
        spool.discard(upload.path)

        let binary = try await spool.receive(Self.chunks([[0x68, 0x00, 0x69]]), maxBytes: 100)
        #expect(!binary.isText, "a NUL byte is not text")
        spool.discard(binary.path)
        let cut = try await spool.receive(Self.chunks([[0x65, 0xC3]]), maxBytes: 100)
        #expect(!cut.isText, "a sequence cut at the end is not valid UTF-8")
        spool.discard(cut.path)
    }

    @Test func tooManyBytesOrNoneAreRefusedAndLeaveNoFile() async throws {
        let path = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let spool = try UploadSpool(directory: path)
        await #expect(throws: UploadTooLarge.self) {
            _ = try await spool.receive(Self.chunks([Array(repeating: 1, count: 60), Array(repeating: 2, count: 60)]), maxBytes: 100)
        }
        await #expect(throws: EmptyUpload.self) { _ = try await spool.receive(Self.chunks([]), maxBytes: 100) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).isEmpty)
    }

    @Test func filesLeftByACrashAreSweptAndFreshOnesKept() async throws {
        let path = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let spool = try UploadSpool(directory: path)
        let old = path + "/upload-crashed"
        let fresh = path + "/upload-in-progress"
        let other = path + "/not-an-upload"
        for file in [old, fresh, other] { FileManager.default.createFile(atPath: file, contents: Data("x".utf8)) }
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: old)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: other)
        #expect(spool.removeAbandoned(olderThan: .seconds(3600)) == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).sorted() == ["not-an-upload", "upload-in-progress"])

        // A received upload not yet discarded (being cleaned or stored) is never swept,
        // however old its file looks. (While it streams, the file has no name yet:
        // NIOFileSystem creates it unnamed and links it when it is complete.)
        let upload = try await spool.receive(Self.chunks([[1, 2, 3]]), maxBytes: 100)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: upload.path)
        #expect(spool.removeAbandoned(olderThan: .seconds(3600)) == 0)
        #expect(FileManager.default.fileExists(atPath: upload.path))
        spool.discard(upload.path)
        #expect(!FileManager.default.fileExists(atPath: upload.path))
    }
}
