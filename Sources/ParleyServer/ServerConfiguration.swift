import Logging
import ParleyCore

/// What a Parley node needs to know to serve: where to listen, how to check tokens,
/// which browser origins may open WebSockets.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests); the chosen one is reported through `onListening`.
    public var port: Int
    public var verifier: TokenVerifier
    /// Origins allowed to open a WebSocket from a browser; `nil` allows any. Requests
    /// without an `Origin` header (apps, servers) are always allowed.
    public var allowedOrigins: [String]?
    public var logger: Logger

    public init(host: String = "127.0.0.1", port: Int = 8080, verifier: TokenVerifier, allowedOrigins: [String]? = nil,
                logger: Logger = Logger(label: "parley")) {
        self.host = host
        self.port = port
        self.verifier = verifier
        self.allowedOrigins = allowedOrigins
        self.logger = logger
    }
}
