import Foundation
import Hummingbird
import NIOCore
import ParleyCore

/// Reads a request's JSON body for `request.decode(as:context:)`: at most the context's
/// upload size (the contract's 1 MiB), never empty, and a failure that names the field
/// and the reason (`participants[0].role: unknown value "admin"`) rather than Swift's
/// decoding error or Hummingbird's generic 400.
public struct ParleyJSONDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw ParleyError.tooLarge(field: "body", limit: context.maxUploadSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw ParleyError.tooLarge(field: "body", limit: context.maxUploadSize)
        }
        guard buffer.readableBytes > 0 else { throw ParleyError.invalid(field: "body", reason: "a JSON object is required") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw Self.describe(error)
        }
    }

    /// A decoding failure as `invalid(field:reason:)`, naming the field by its path.
    static func describe(_ error: DecodingError) -> ParleyError {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            var text = ""
            for key in codingPath + (last.map { [$0] } ?? []) {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : "." + key.stringValue
                }
            }
            return text.isEmpty ? "body" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .invalid(field: path(context.codingPath, key), reason: "required")
        case .valueNotFound(_, let context):
            return .invalid(field: path(context.codingPath), reason: "must not be null")
        case .typeMismatch(let type, let context):
            return .invalid(field: path(context.codingPath), reason: "expected \(describe(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return .invalid(field: "body", reason: "not valid JSON") }
            let text = context.debugDescription
            if let range = text.range(of: "invalid String value ") {
                return .invalid(field: path(context.codingPath), reason: "unknown value \(text[range.upperBound...])")
            }
            return .invalid(field: path(context.codingPath), reason: text)
        @unknown default:
            return .invalid(field: "body", reason: "not valid")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is [Any].Type: "an array"
        default:
            if String(describing: type).hasPrefix("Array") { "an array" } else { "an object or a value of the right kind" }
        }
    }
}
