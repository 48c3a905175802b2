import Hummingbird
import HummingbirdAuth
import HummingbirdWebSocket
import NIOCore
import ParleyCore

/// The context of every request: Hummingbird's core storage, the WebSocket upgrade
/// slot, and the authenticated caller (`identity`) once `AuthenticationMiddleware` or
/// `RealtimeAuthenticationMiddleware` has run.
public struct ParleyRequestContext: AuthRequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    public var identity: Principal?
    /// The connection, so a WebSocket can be closed from outside its reader.
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }

    /// The contract's 1 MiB body limit.
    public var maxUploadSize: Int { Limits.maxRequestBodyBytes }

    /// `request.decode(as:context:)` reads JSON with errors that name the field.
    public var requestDecoder: ParleyJSONDecoder { ParleyJSONDecoder() }

    /// The caller; routes behind `AuthenticationMiddleware` always have one.
    func requirePrincipal() throws(ParleyError) -> Principal {
        guard let identity else { throw .unauthenticated(reason: "missing bearer token") }
        return identity
    }

    /// The `{conversationId}` of the path. An id no conversation could have is unknown
    /// (404), as an id the caller may not see is.
    func conversationID() throws(ParleyError) -> String {
        try pathID("conversationId", what: "conversation")
    }

    /// The path parameter `name` (a template, FAQ entry or message id); an id nothing
    /// could have is unknown (404).
    func pathID(_ name: String, what: String) throws(ParleyError) -> String {
        guard let id = parameters.get(name), !id.isEmpty, id.utf8.count <= Limits.maxExternalIDBytes else {
            throw .notFound(what: what)
        }
        return id
    }
}
