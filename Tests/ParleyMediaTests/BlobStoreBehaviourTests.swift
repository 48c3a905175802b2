import Foundation
import NIOCore
import ParleyMedia
import Testing

/// One behaviour suite for every `BlobStore`: the folder store, the S3 store against a
/// real SeaweedFS that checks signatures, and the in-memory store. A store passes only if
/// it behaves like the others, byte for byte and error for error.
@Suite struct BlobStoreBehaviourTests {
    /// The largest chunk the folder and memory stores hand out.
    static let chunkLimit = 64 * 1024

    @Test(arguments: BlobStoreKind.allCases)
    func bytesPutAreReadBackWhole(kind: BlobStoreKind) async throws {
        try await kind.withStore { store in
            let key = BlobTestBytes.key()
            try await store.put(key: key, bytes: BlobTestBytes.bytes(0..<1000), contentType: "application/octet-stream")
            let reading = try await BlobTestBytes.read(try await store.read(key: key, range: nil), from: 0)
            #expect(reading.length == 1000)
            #expect(reading.matches)
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func aFilePutIsReadBackWhole(kind: BlobStoreKind) async throws {
        try await TemporaryFolder.with { folder in
            let path = try BlobTestBytes.writeFile(in: folder, size: 300_000, seed: 7)
            try await kind.withStore { store in
                let key = BlobTestBytes.key()
                try await store.put(key: key, fromFile: path, size: 300_000, contentType: "application/pdf")
                let reading = try await BlobTestBytes.read(try await store.read(key: key, range: nil), from: 0, seed: 7)
                #expect(reading.length == 300_000)
                #expect(reading.matches)
            }
        }
    }

    /// Inclusive offsets; a last byte past the end is clamped to the end (as HTTP does).
    @Test(arguments: BlobStoreKind.allCases)
    func rangesReturnExactlyTheBytesAskedFor(kind: BlobStoreKind) async throws {
        try await kind.withStore { store in
            let key = BlobTestBytes.key()
            let size: Int64 = 200_000
            try await store.put(key: key, bytes: BlobTestBytes.bytes(0..<size), contentType: "image/jpeg")
            let cases: [(range: ClosedRange<Int64>, start: Int64, length: Int64)] = [
                (0...0, 0, 1),  // the first byte
                (70_000...140_000, 70_000, 70_001),  // the middle, across chunk boundaries
                ((size - 1)...(size - 1), size - 1, 1),  // the last byte
                ((size - 10)...(size + 5000), size - 10, 10),  // past the end: clamped
                (0...(size - 1), 0, size),  // all of it
            ]
            for item in cases {
                let reading = try await BlobTestBytes.read(try await store.read(key: key, range: item.range), from: item.start)
                #expect(reading.length == item.length, "range \(item.range)")
                #expect(reading.matches, "range \(item.range)")
            }
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func aRangeStartingAtOrPastTheEndIsNotSatisfiable(kind: BlobStoreKind) async throws {
        try await kind.withStore { store in
            let key = BlobTestBytes.key()
            try await store.put(key: key, bytes: BlobTestBytes.bytes(0..<100), contentType: "text/plain")
            for range: ClosedRange<Int64> in [100...100, 100...200, 5000...6000] {
                await #expect(throws: BlobStoreError.rangeNotSatisfiable(key), "range \(range)") {
                    _ = try await BlobTestBytes.read(try await store.read(key: key, range: range), from: range.lowerBound)
                }
            }
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func anEmptyBlobReadsAsNoBytesAndHasNoRanges(kind: BlobStoreKind) async throws {
        try await kind.withStore { store in
            let key = BlobTestBytes.key()
            try await store.put(key: key, bytes: [], contentType: "text/plain")
            #expect(try await BlobTestBytes.read(try await store.read(key: key, range: nil), from: 0).length == 0)
            await #expect(throws: BlobStoreError.rangeNotSatisfiable(key)) {
                _ = try await BlobTestBytes.read(try await store.read(key: key, range: 0...0), from: 0)
            }
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func aPutOverwritesTheKey(kind: BlobStoreKind) async throws {
        try await kind.withStore { store in
            let key = BlobTestBytes.key(suffix: ".thumb")
            try await store.put(key: key, bytes: BlobTestBytes.bytes(0..<5000, seed: 1), contentType: "image/jpeg")
            try await store.put(key: key, bytes: BlobTestBytes.bytes(0..<3000, seed: 2), contentType: "image/jpeg")
            let reading = try await BlobTestBytes.read(try await store.read(key: key, range: nil), from: 0, seed: 2)
            #expect(reading.length == 3000)
            #expect(reading.matches)
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func aDeletedKeyIsNotFoundAndDeletingAgainIsNoError(kind: BlobStoreKind) async throws {
        try await kind.withStore { store in
            let key = BlobTestBytes.key()
            try await store.put(key: key, bytes: [1, 2, 3], contentType: "application/octet-stream")
            try await store.delete(key: key)
            await #expect(throws: BlobStoreError.notFound(key)) { _ = try await store.read(key: key, range: nil) }
            await #expect(throws: BlobStoreError.notFound(key)) { _ = try await store.read(key: key, range: 0...1) }
            try await store.delete(key: key)
            try await store.delete(key: BlobTestBytes.key())
        }
    }

    /// A 20 MiB upload from disk and its download, streamed: the folder and memory stores
    /// never hand out more than 64 KiB at once; S3 chunks are what the server sends.
    @Test(arguments: BlobStoreKind.allCases)
    func aTwentyMebibyteFileStreamsInBoundedChunks(kind: BlobStoreKind) async throws {
        let size: Int64 = 20 << 20
        try await TemporaryFolder.with { folder in
            let path = try BlobTestBytes.writeFile(in: folder, size: size, seed: 3)
            try await kind.withStore { store in
                let key = BlobTestBytes.key()
                try await store.put(key: key, fromFile: path, size: size, contentType: "application/zip")
                let whole = try await BlobTestBytes.read(try await store.read(key: key, range: nil), from: 0, seed: 3)
                #expect(whole.length == size)
                #expect(whole.matches)
                #expect(whole.chunks > 1)
                if kind != .s3 { #expect(whole.largestChunk <= Self.chunkLimit) }
                let middle = try await BlobTestBytes.read(try await store.read(key: key, range: 10_000_000...15_000_000), from: 10_000_000, seed: 3)
                #expect(middle.length == 5_000_001)
                #expect(middle.matches)
                try await store.delete(key: key)
            }
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func invalidKeysAreRefusedBeforeAnythingIsTouched(kind: BlobStoreKind) async throws {
        let invalid = [
            "", "a", "../etc/passwd", "ab/../../x", "AB12", "ab/cd", ".hidden", "-ab", "a.b", "ab cd", "ab%2f", "ab\u{e9}", "ab\0cd",
            "ab\ncd", String(repeating: "a", count: BlobKey.maximumLength + 1),
        ]
        try await kind.withStore { store in
            for key in invalid {
                await #expect(throws: BlobStoreError.invalidKey(key)) { try await store.put(key: key, bytes: [1], contentType: "text/plain") }
                await #expect(throws: BlobStoreError.invalidKey(key)) { _ = try await store.read(key: key, range: nil) }
                await #expect(throws: BlobStoreError.invalidKey(key)) { try await store.delete(key: key) }
            }
            // The longest valid key works.
            let longest = String(repeating: "f", count: BlobKey.maximumLength)
            try await store.put(key: longest, bytes: [9], contentType: "text/plain")
            #expect(try await BlobTestBytes.read(try await store.read(key: longest, range: nil), from: 0).length == 1)
            try await store.delete(key: longest)
        }
    }

    /// Keys are content addresses: writers of one key race with the same bytes, and the
    /// reader sees one whole copy, never a mix or a part.
    @Test(arguments: BlobStoreKind.allCases)
    func concurrentPutsOfOneKeyLeaveOneWholeBlob(kind: BlobStoreKind) async throws {
        let size: Int64 = 1 << 20
        try await TemporaryFolder.with { folder in
            let path = try BlobTestBytes.writeFile(in: folder, size: size, seed: 5)
            try await kind.withStore { store in
                let key = BlobTestBytes.key()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<8 {
                        group.addTask {
                            if writer.isMultiple(of: 2) {
                                try await store.put(key: key, fromFile: path, size: size, contentType: "image/png")
                            } else {
                                try await store.put(key: key, bytes: BlobTestBytes.bytes(0..<size, seed: 5), contentType: "image/png")
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let reading = try await BlobTestBytes.read(try await store.read(key: key, range: nil), from: 0, seed: 5)
                #expect(reading.length == size)
                #expect(reading.matches)
            }
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func aFileOfAnotherSizeThanAnnouncedIsRefused(kind: BlobStoreKind) async throws {
        try await TemporaryFolder.with { folder in
            let path = try BlobTestBytes.writeFile(in: folder, size: 1000)
            try await kind.withStore { store in
                let key = BlobTestBytes.key()
                await #expect(throws: BlobStoreError.sizeMismatch(path: path, expected: 1001, actual: 1000)) {
                    try await store.put(key: key, fromFile: path, size: 1001, contentType: "text/plain")
                }
                await #expect(throws: BlobStoreError.notFound(key)) { _ = try await store.read(key: key, range: nil) }
            }
        }
    }

    @Test(arguments: BlobStoreKind.allCases)
    func aReadyStoreSaysSo(kind: BlobStoreKind) async throws {
        try await kind.withStore { store in try await store.checkReady() }
    }

    /// A body dropped half-read (a client that hung up) must not stop the store: the next
    /// read of the same key works.
    @Test(arguments: BlobStoreKind.allCases)
    func aBodyDroppedHalfReadLeavesTheStoreWorking(kind: BlobStoreKind) async throws {
        try await kind.withStore { store in
            let key = BlobTestBytes.key()
            try await store.put(key: key, bytes: BlobTestBytes.bytes(0..<1_000_000), contentType: "application/octet-stream")
            for _ in 0..<20 {
                var iterator = try await store.read(key: key, range: nil).makeAsyncIterator()
                _ = try await iterator.next()
            }
            let reading = try await BlobTestBytes.read(try await store.read(key: key, range: nil), from: 0)
            #expect(reading.length == 1_000_000)
            #expect(reading.matches)
        }
    }
}
