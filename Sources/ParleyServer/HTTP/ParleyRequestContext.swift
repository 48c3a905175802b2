import Hummingbird
import HummingbirdWebSocket
import NIOCore
import ParleyCore

/// The context of every request: Hummingbird's core storage, the WebSocket upgrade
/// slot, and the authenticated caller once `AuthenticationMiddleware` has run.
public struct ParleyRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    public var principal: Principal?
    /// The connection, so a WebSocket can be closed from outside its reader.
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }

    /// Bodies are read by `JSONBody` with the contract's 1 MiB limit.
    public var maxUploadSize: Int { Limits.maxRequestBodyBytes }

    /// The caller; routes behind `AuthenticationMiddleware` always have one.
    func requirePrincipal() throws(ParleyError) -> Principal {
        guard let principal else { throw .unauthenticated(reason: "missing bearer token") }
        return principal
    }
}
