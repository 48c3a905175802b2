import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ParleyCore

/// A failure answered by the server.
public enum ParleyClientError: Error, Sendable, Equatable {
    case server(status: Int, error: ErrorBody?)

    public var status: Int {
        switch self {
        case .server(let status, _): status
        }
    }

    public var code: String? {
        switch self {
        case .server(_, let error): error?.error.code
        }
    }

    /// The error's text, which names the field and the reason.
    public var message: String? {
        switch self {
        case .server(_, let error): error?.error.message
        }
    }
}
