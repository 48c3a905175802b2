import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// An HTTP/1 child channel (`Base`) whose connections must deliver their first complete
/// request head within `timeout`: it sets the base channel up, then puts a
/// ``RequestHeadTimeoutHandler`` right behind the base's HTTP request decoder.
struct RequestHeadTimeoutChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let timeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let timeout = self.timeout
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(RequestHeadTimeoutHandler(timeout: timeout, logger: logger), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with the WebSocket upgrade (Hummingbird's, routed by `webSocketRouter`),
    /// where a connection must send a complete request head within `requestHeadTimeout`
    /// of opening and of the end of its previous response; keep-alive connections idle
    /// that long between requests are closed. WebSockets, once upgraded, are not timed.
    static func http1WebSocketUpgrade(
        webSocketRouter: Router<ParleyRequestContext>,
        webSocket: WebSocketServerConfiguration,
        requestHeadTimeout: Duration
    ) -> HTTPServerBuilder {
        let webSocketResponder = webSocketRouter.buildResponder()
        let timeout = TimeAmount(requestHeadTimeout)
        return HTTPServerBuilder { responder in
            RequestHeadTimeoutChannel(
                base: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder,
                    // Hummingbird's idle timeout runs from the end of a response until the
                    // next complete head (partial heads do not count as activity).
                    configuration: .init(http1: .init(idleTimeout: timeout), ws: webSocket)),
                timeout: timeout)
        }
    }
}
