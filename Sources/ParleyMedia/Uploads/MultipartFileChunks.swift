import NIOCore

/// The bytes of the part named `file` of a `multipart/form-data` body, as the body
/// arrives: an `AsyncSequence` an `UploadSpool` can write straight to disk. Other parts
/// are read and dropped. Once iteration has ended, ``headers`` has the file part's
/// headers (its file name and declared type).
public struct MultipartFileChunks<Body: AsyncSequence & Sendable>: AsyncSequence, Sendable where Body.Element == ByteBuffer {
    public typealias Element = ByteBuffer

    /// The name of the part that carries the file, as a browser's `FormData` sends it.
    public static var fileField: String { "file" }

    let body: Body
    let boundary: [UInt8]
    let maxBodyBytes: Int64
    let found: FoundHeaders

    /// `maxBodyBytes` bounds the whole body, every part and boundary counted: the
    /// spool counts only the file's bytes, and a form's other parts must not be a way
    /// around the limit.
    public init(body: Body, boundary: [UInt8], maxBodyBytes: Int64) {
        self.body = body
        self.boundary = boundary
        self.maxBodyBytes = maxBodyBytes
        self.found = FoundHeaders()
    }

    /// The file part's headers; nil until the part was seen.
    public var headers: MultipartPartHeaders? { found.value }

    public func makeAsyncIterator() -> Iterator {
        Iterator(body: body.makeAsyncIterator(), reader: MultipartReader(boundary: boundary), found: found, maxBodyBytes: maxBodyBytes)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var body: Body.AsyncIterator
        var reader: MultipartReader
        let found: FoundHeaders
        let maxBodyBytes: Int64
        var received: Int64 = 0
        /// Bytes of the file part decoded from the last chunk, not yet handed out.
        var ready: [ByteBuffer] = []
        var inFilePart = false
        var sawFilePart = false
        var finished = false

        public mutating func next() async throws -> ByteBuffer? {
            while ready.isEmpty {
                if finished { return nil }
                let events: [MultipartEvent]
                if let chunk = try await body.next() {
                    received += Int64(chunk.readableBytes)
                    if received > maxBodyBytes { throw UploadTooLarge(limit: Int(maxBodyBytes)) }
                    events = try chunk.withUnsafeReadableBytes { bytes throws(MultipartError) in try reader.feed(bytes) }
                } else {
                    events = try reader.finish()
                    finished = true
                }
                for event in events { take(event) }
                if finished, !sawFilePart { throw MultipartError.malformed("no part named \"\(MultipartFileChunks.fileField)\"") }
            }
            return ready.removeFirst()
        }

        private mutating func take(_ event: MultipartEvent) {
            switch event {
            case .partStart(let headers):
                // The first part named `file` is the upload; a second one is ignored.
                inFilePart = headers.name == MultipartFileChunks.fileField && !sawFilePart
                if inFilePart {
                    sawFilePart = true
                    found.value = headers
                }
            case .body(let bytes):
                if inFilePart, !bytes.isEmpty { ready.append(ByteBuffer(bytes: bytes)) }
            case .partEnd:
                inFilePart = false
            }
        }
    }

    /// Set by the iterator, read by the caller after iterating.
    final class FoundHeaders: @unchecked Sendable {
        // Written by the one iterating task before the caller reads it after iteration ends.
        var value: MultipartPartHeaders?
    }
}
