import Foundation
import ParleyCore

/// Attachments: upload (raw or as a browser's `FormData`), links, downloads.
extension ParleyRESTClient {
    /// Uploads `bytes` as the raw body, declaring `contentType` and `name`.
    public func upload(
        _ conversationID: String, bytes: Data, contentType: String? = nil, name: String? = nil
    ) async throws -> AttachmentBody {
        let query = name.map { Self.queryString(["name": $0]) } ?? ""
        let response = try await raw(
            .POST, "/api/conversations/\(conversationID)/attachments\(query)", body: bytes,
            headers: [("Content-Type", contentType ?? "application/octet-stream")])
        return try Self.decoded(response)
    }

    /// Uploads `bytes` as `multipart/form-data` with one part `file`, as a browser's
    /// `FormData` sends it.
    public func uploadForm(
        _ conversationID: String, bytes: Data, contentType: String, filename: String
    ) async throws -> AttachmentBody {
        let boundary = "----ParleyFormBoundary\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"
        var body = Data("--\(boundary)\r\n".utf8)
        body += Data("Content-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n".utf8)
        body += Data("Content-Type: \(contentType)\r\n\r\n".utf8)
        body += bytes
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        let response = try await raw(
            .POST, "/api/conversations/\(conversationID)/attachments", body: body,
            headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")])
        return try Self.decoded(response)
    }

    /// A link to the attachment that works without a token for five minutes.
    public func attachmentLink(_ attachmentID: String) async throws -> AttachmentLinkBody {
        try await call(.POST, "/api/attachments/\(attachmentID)/link")
    }

    /// The attachment (or its thumbnail) as it came: status, headers, bytes.
    public func download(
        _ attachmentID: String, thumbnail: Bool = false, headers: [(String, String)] = [], maxBytes: Int = 64 * 1024 * 1024
    ) async throws -> RawResponse {
        try await raw(
            .GET, "/api/attachments/\(attachmentID)\(thumbnail ? "/thumbnail" : "")", headers: headers, maxResponseBytes: maxBytes)
    }
}
