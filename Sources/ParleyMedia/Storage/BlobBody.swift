import AsyncHTTPClient
import NIOCore

/// The bytes of a blob (or of a range of it), pulled as the reader iterates: a chunk is
/// read from disk or taken from the object store's response only when `next()` asks for
/// it, so a download holds one chunk at a time and a slow reader slows the source
/// (back-pressure) instead of filling memory.
///
/// From the folder store chunks are at most `PositionalFileReader.chunkLength` (64 KiB);
/// from S3 they are what the server's response delivers (AsyncHTTPClient bounds its
/// buffering). Dropping a body half-read releases its file or connection.
public struct BlobBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    enum Source: Sendable {
        /// `range` of an open file.
        case file(PositionalFileReader, Range<Int64>)
        /// The streamed body of an object store's response.
        case response(HTTPClientResponse.Body)
        /// Bytes already in memory (the in-memory store).
        case buffer(ByteBuffer)
    }

    let source: Source

    init(source: Source) {
        self.source = source
    }

    /// A body of bytes already in memory, given out in chunks of at most 64 KiB.
    public init(bytes: ByteBuffer) {
        source = .buffer(bytes)
    }

    /// Reads the whole body into one buffer, refusing more than `limit` bytes — for
    /// small blobs (thumbnails, tests), never for downloads.
    public func collect(upTo limit: Int) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        for try await chunk in self {
            guard collected.readableBytes + chunk.readableBytes <= limit else {
                throw BlobStoreError.bodyTooLarge(limit: limit)
            }
            var chunk = chunk
            collected.writeBuffer(&chunk)
        }
        return collected
    }

    public func makeAsyncIterator() -> AsyncIterator {
        switch source {
        case .file(let reader, let range): AsyncIterator(state: .file(reader, next: range.lowerBound, end: range.upperBound))
        case .response(let body): AsyncIterator(state: .response(body.makeAsyncIterator()))
        case .buffer(let bytes): AsyncIterator(state: .buffer(bytes))
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        enum State {
            case file(PositionalFileReader, next: Int64, end: Int64)
            case response(HTTPClientResponse.Body.AsyncIterator)
            case buffer(ByteBuffer)
            case finished
        }

        var state: State

        public mutating func next() async throws -> ByteBuffer? {
            switch state {
            case .file(let reader, let offset, let end):
                guard offset < end else {
                    state = .finished
                    return nil
                }
                let wanted = Int(Swift.min(end - offset, Int64(PositionalFileReader.chunkLength)))
                let chunk = try await reader.read(at: offset, length: wanted)
                guard chunk.readableBytes > 0 else {
                    // Stored blobs never shrink (they are replaced by rename), so this is damage.
                    state = .finished
                    throw BlobStoreError.fileSystem("\(reader.path) ended at \(offset), before \(end)")
                }
                state = .file(reader, next: offset + Int64(chunk.readableBytes), end: end)
                return chunk
            case .response(var iterator):
                let chunk = try await iterator.next()
                state = chunk == nil ? .finished : .response(iterator)
                return chunk
            case .buffer(var bytes):
                guard bytes.readableBytes > 0, let chunk = bytes.readSlice(length: Swift.min(bytes.readableBytes, PositionalFileReader.chunkLength))
                else {
                    state = .finished
                    return nil
                }
                state = .buffer(bytes)
                return chunk
            case .finished:
                return nil
            }
        }
    }
}
