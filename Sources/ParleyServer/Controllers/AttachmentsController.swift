import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ParleyCore
import ParleyMedia
import ParleyMessaging

/// Attachments: upload (`POST /api/conversations/{id}/attachments`, raw body or
/// `multipart/form-data`), download and thumbnail (`GET /api/attachments/{id}[/thumbnail]`,
/// with a token or a signed link), and signed links (`POST /api/attachments/{id}/link`).
struct AttachmentsController {
    let attachments: AttachmentService
    /// An upload's body that sends nothing this long closes its connection.
    let uploadIdleTimeout: Duration

    /// Thumbnails are served from memory (a few KB; at most this much).
    static let maxThumbnailBytes = 4 * 1024 * 1024

    /// Under `/api/conversations`.
    var uploadEndpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.post(":conversationId/attachments", use: upload)
        return routes
    }

    /// Under `/api/attachments`, behind the bearer token.
    var linkEndpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.post(":attachmentId/link", use: link)
        return routes
    }

    /// Under `/api/attachments`, behind `LinkOrBearerMiddleware`.
    var downloadEndpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.get(":attachmentId", use: { request, context in try await download(request, context: context, variant: .original) })
        routes.get(
            ":attachmentId/thumbnail", use: { request, context in try await download(request, context: context, variant: .thumbnail) })
        return routes
    }

    @Sendable func upload(_ request: Request, context: ParleyRequestContext) async throws -> EditedResponse<AttachmentBody> {
        let principal = try context.requirePrincipal()
        let conversationID = try context.conversationID()
        try await attachments.authorizeUpload(to: conversationID, by: principal)
        let limit = attachments.maxBytes
        let contentType = request.headers[.contentType]
        let isForm = contentType?.lowercased().hasPrefix("multipart/form-data") == true
        // A form carries part headers and boundaries besides the file: allowed for here,
        // and the file itself is counted as it streams.
        let bodyLimit = Int64(limit) + (isForm ? Int64(AttachmentLimits.multipartOverheadBytes) : 0)
        if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > bodyLimit {
            throw ParleyError.tooLarge(field: "file", limit: limit)
        }
        let query = QueryParameters(request: request)
        let queryName = try query.string("name")
        let watchdog = IdleBodyWatchdog(channel: context.channel, timeout: uploadIdleTimeout)
        watchdog.start()
        defer { watchdog.stop() }
        let body = watchdog.watching(request.body)
        let upload: SpooledUpload
        let declaredType: String?
        let name: String?
        if let contentType, isForm {
            guard let boundary = MultipartBoundary.parse(contentType: contentType) else {
                throw ParleyError.invalid(field: "Content-Type", reason: "multipart/form-data needs a valid boundary")
            }
            let chunks = MultipartFileChunks(body: body, boundary: boundary, maxBodyBytes: bodyLimit)
            upload = try await receive(chunks, limit: limit)
            declaredType = chunks.headers?.contentType
            name = chunks.headers?.filename ?? queryName
        } else {
            upload = try await receive(body, limit: limit)
            declaredType = contentType
            name = queryName
        }
        watchdog.stop()
        let attachment = try await attachments.store(upload, declaredType: declaredType, name: name, in: conversationID, by: principal)
        return EditedResponse(status: .created, response: AttachmentBody(attachment))
    }

    /// The body into a temporary file, its failures as the contract's errors.
    private func receive<Chunks: AsyncSequence>(_ chunks: Chunks, limit: Int) async throws -> SpooledUpload
    where Chunks.Element == ByteBuffer {
        do {
            return try await attachments.spool.receive(chunks, maxBytes: limit)
        } catch is UploadTooLarge {
            throw ParleyError.tooLarge(field: "file", limit: limit)
        } catch is EmptyUpload {
            throw ParleyError.invalid(field: "file", reason: "empty: an attachment needs at least one byte")
        } catch let error as MultipartError {
            throw ParleyError.invalid(field: "file", reason: "multipart/form-data body: \(error.reason)")
        }
    }

    @Sendable func link(_ request: Request, context: ParleyRequestContext) async throws -> AttachmentLinkBody {
        let id = try context.pathID("attachmentId", what: "attachment")
        let link = try await attachments.link(to: id, by: try context.requirePrincipal())
        return AttachmentLinkBody(url: link.url, expiresAt: link.expiresAt)
    }

    func download(_ request: Request, context: ParleyRequestContext, variant: AttachmentVariant) async throws -> Response {
        let id = try context.pathID("attachmentId", what: "attachment")
        if context.identity == nil {
            let query = request.uri.queryParameters
            try await attachments.verifyLink(
                id, expires: query["expires"].map(String.init), signature: query["signature"].map(String.init))
        }
        let download = try await attachments.download(id, variant: variant, by: context.identity)
        var headers = Self.headers(for: download)
        if let condition = request.headers[.ifNoneMatch], Self.matches(condition, entityTag: download.entityTag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.acceptRanges] = "bytes"
        guard let size = download.size else {
            // A thumbnail: small, served from memory.
            let bytes = try await attachments.bytes(of: download, range: nil).collect(upTo: Self.maxThumbnailBytes)
            let size = Int64(bytes.readableBytes)
            switch ByteRangeRequest(header: request.headers[.range], size: size) {
            case .whole:
                headers[.contentLength] = String(size)
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: bytes))
            case .part(let range):
                headers[.contentLength] = String(range.count)
                headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
                let part = bytes.getSlice(at: bytes.readerIndex + Int(range.lowerBound), length: range.count) ?? ByteBuffer()
                return Response(status: .partialContent, headers: headers, body: ResponseBody(byteBuffer: part))
            case .unsatisfiable:
                headers[.contentRange] = "bytes */\(size)"
                headers[.contentLength] = "0"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            }
        }
        switch ByteRangeRequest(header: request.headers[.range], size: size) {
        case .whole:
            headers[.contentLength] = String(size)
            let body = try await attachments.bytes(of: download, range: nil)
            return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: body))
        case .part(let range):
            headers[.contentLength] = String(range.count)
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            let body = try await attachments.bytes(of: download, range: range)
            return Response(status: .partialContent, headers: headers, body: ResponseBody(asyncSequence: body))
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(size)"
            headers[.contentLength] = "0"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        }
    }

    /// The contract's headers for a download: stored type, `ETag`, private caching, no
    /// sniffing, a sandbox for anything a browser might run, and `attachment` for every
    /// download but images.
    static func headers(for download: AttachmentDownload) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = download.contentType
        headers[.eTag] = "\"\(download.entityTag)\""
        headers[.cacheControl] = "private"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.contentSecurityPolicy] = "sandbox"
        let disposition = download.attachment.isImage ? "inline" : "attachment"
        headers[.contentDisposition] = "\(disposition); filename*=UTF-8''\(Self.percentEncoded(download.attachment.name))"
        return headers
    }

    /// RFC 8187's `attr-char`s stay, every other byte of the UTF-8 is `%XX`.
    static func percentEncoded(_ name: String) -> String {
        let kept = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)
        var out = ""
        for byte in name.utf8 {
            if kept.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded()
            }
        }
        return out
    }

    /// Whether an `If-None-Match` list names `entityTag` (weak or strong, `*` for any).
    static func matches(_ condition: String, entityTag: String) -> Bool {
        condition.split(separator: ",").contains { candidate in
            var tag = candidate.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            return tag == "\"\(entityTag)\"" || tag == entityTag
        }
    }
}

extension String {
    fileprivate func leftPadded() -> String { count == 1 ? "0" + self : self }
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
}

extension MultipartError {
    /// What the client is told: fixed text, never request bytes.
    var reason: String {
        switch self {
        case .malformed(let what): what
        case .tooManyParts: "too many parts"
        case .headerTooLarge: "a part's headers are too long"
        case .missingClosingBoundary: "the body ended before its closing boundary"
        }
    }
}
