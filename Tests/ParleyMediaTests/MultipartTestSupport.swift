import ParleyMedia
import Testing

/// Bodies and reading helpers shared by the multipart tests.
enum MultipartTestSupport {
    /// What reading gave, with consecutive `body` chunks joined: how a body is cut into
    /// chunks depends on how it arrived, and only their concatenation is meaningful.
    static func joined(_ events: [MultipartEvent]) -> [MultipartEvent] {
        var result: [MultipartEvent] = []
        for event in events {
            if case .body(let bytes) = event, case .body(let previous)? = result.last {
                result[result.count - 1] = .body(previous + bytes)
            } else {
                result.append(event)
            }
        }
        return result
    }

    /// Reads `body` fed in chunks of the given sizes (the last one repeated), then finishes.
    static func read(
        _ body: [UInt8], boundary: String, chunkSizes: [Int] = [Int.max], limits: MultipartLimits = MultipartLimits()
    ) throws(MultipartError) -> [MultipartEvent] {
        var reader = MultipartReader(boundary: Array(boundary.utf8), limits: limits)
        var events: [MultipartEvent] = []
        var start = 0
        var chunk = 0
        while start < body.count {
            let size = chunkSizes[min(chunk, chunkSizes.count - 1)]
            let end = size >= body.count - start ? body.count : start + size
            let fed = try reader.feed(body[start..<end])
            #expect(!fed.contains(.body([])), "empty body event")
            events += fed
            start = end
            chunk += 1
        }
        events += try reader.finish()
        return joined(events)
    }

    /// The error reading `body` gives, or nil.
    static func error(_ body: [UInt8], boundary: String, chunkSizes: [Int] = [Int.max], limits: MultipartLimits = MultipartLimits()) -> MultipartError? {
        do {
            _ = try read(body, boundary: boundary, chunkSizes: chunkSizes, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    static let chromiumBoundary = "----WebKitFormBoundaryQ3bZ8d1x0sK9TmvA"
    /// The first bytes of a PNG, with a CRLF and a `--` in them as real files have.
    static let pngBytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x0D, 0x0A, 0x2D, 0x2D]

    /// Byte for byte what Chromium sends for `FormData` with a text field `caption` and
    /// a `File` named `foto.png` in the field `file` (boundary, header order and case,
    /// quoting, closing CRLF).
    static var chromiumBody: [UInt8] {
        let b = chromiumBoundary
        return Array("--\(b)\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nla caja llegó rota\r\n".utf8)
            + Array("--\(b)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"foto.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
            + pngBytes + Array("\r\n--\(b)--\r\n".utf8)
    }

    static let chromiumEvents: [MultipartEvent] = [
        .partStart(MultipartPartHeaders(name: "caption")), .body(Array("la caja llegó rota".utf8)), .partEnd,
        .partStart(MultipartPartHeaders(name: "file", filename: "foto.png", contentType: "image/png")), .body(pngBytes), .partEnd,
    ]

    /// A one-part body around `headers` (lines without CRLF) and `content`.
    static func body(boundary: String = "boundary", headers: [String], content: [UInt8]) -> [UInt8] {
        Array("--\(boundary)\r\n".utf8) + headers.flatMap { Array("\($0)\r\n".utf8) } + Array("\r\n".utf8) + content
            + Array("\r\n--\(boundary)--\r\n".utf8)
    }

    /// The headers the single part of `body(headers:content:)` gives.
    static func headers(of lines: [String]) throws(MultipartError) -> MultipartPartHeaders? {
        let events = try read(body(headers: lines, content: []), boundary: "boundary")
        guard case .partStart(let headers)? = events.first else { return nil }
        return headers
    }
}
