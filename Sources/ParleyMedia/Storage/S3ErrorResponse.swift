import Foundation

/// The `Code` and `Message` of an S3 error body:
/// `<Error><Code>NoSuchKey</Code><Message>…</Message>…</Error>`.
///
/// Only these two elements are kept. Some stores add the canonical request and the string
/// to sign to a `SignatureDoesNotMatch` body; those never reach a log or an error.
struct S3ErrorResponse: Sendable, Equatable {
    /// A bound on the error body read: S3 error documents are a few hundred bytes.
    static let maximumBodyLength = 16 * 1024
    /// A bound on the message carried into `BlobStoreError`.
    static let maximumMessageLength = 300

    var code: String
    var message: String

    /// Reads `Code` and `Message` from `body`; a status-derived code when the body has none
    /// (`HEAD` answers carry no body).
    init(body: String, status: Int, reason: String) {
        code = Self.element("Code", in: body) ?? reason.replacingSpaces()
        message = String((Self.element("Message", in: body) ?? "HTTP \(status) \(reason)").prefix(Self.maximumMessageLength))
    }

    private static func element(_ name: String, in body: String) -> String? {
        guard let start = body.range(of: "<\(name)>"), let end = body.range(of: "</\(name)>", range: start.upperBound..<body.endIndex) else {
            return nil
        }
        let text = body[start.upperBound..<end.lowerBound]
        return text.isEmpty ? nil : String(text)
    }
}

extension String {
    /// `Not Found` → `NotFound`: a status's reason phrase shaped like an S3 error code.
    fileprivate func replacingSpaces() -> String {
        split(separator: " ").joined()
    }
}
