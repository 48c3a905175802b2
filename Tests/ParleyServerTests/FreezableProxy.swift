import NIOCore
import NIOPosix
import Synchronization

/// A TCP proxy on a free loopback port in front of a real server, that can be frozen:
/// it then stops moving bytes either way without closing anything — a half-open
/// connection as a vanished host, a dead NAT entry or a stalled load balancer leaves it.
/// Connections accepted while frozen are frozen too.
///
/// Freezing turns off `autoRead` on both sides of every connection: bytes wait in the
/// kernel's buffers and move again on `unfreeze()`.
final class FreezableProxy: Sendable {
    private let server: any Channel
    private let state = Mutex<(channels: [any Channel], frozen: Bool)>(([], false))

    var port: Int { server.localAddress?.port ?? 0 }

    init(targetPort: Int) async throws {
        let box = Box()
        server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { inbound in
                ClientBootstrap(group: inbound.eventLoop)
                    .channelOption(.autoRead, value: false)
                    .channelInitializer { outbound in
                        outbound.eventLoop.makeCompletedFuture { try outbound.pipeline.syncOperations.addHandler(Forwarder(to: inbound)) }
                    }
                    .connect(host: "127.0.0.1", port: targetPort)
                    .flatMap { outbound in
                        inbound.pipeline.addHandler(Forwarder(to: outbound)).map { box.proxy?.adopt(inbound, outbound) }
                    }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        box.proxy = self
    }

    /// Lets the initializer reach the proxy it is part of.
    private final class Box: @unchecked Sendable {
        weak var proxy: FreezableProxy?
    }

    private func adopt(_ channels: any Channel...) {
        let frozen = state.withLock { state in
            state.channels += channels
            return state.frozen
        }
        for channel in channels { channel.setOption(.autoRead, value: !frozen).whenFailure { _ in } }
    }

    func freeze() { setFrozen(true) }

    func unfreeze() { setFrozen(false) }

    private func setFrozen(_ frozen: Bool) {
        let channels = state.withLock { state in
            state.frozen = frozen
            state.channels.removeAll { !$0.isActive }
            return state.channels
        }
        for channel in channels { channel.setOption(.autoRead, value: !frozen).whenFailure { _ in } }
    }

    func close() async {
        try? await server.close()
        for channel in state.withLock({ $0.channels }) { try? await channel.close() }
    }

    /// Writes what one side reads to the other; closes the other when one side closes.
    private final class Forwarder: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let partner: any Channel

        init(to partner: any Channel) { self.partner = partner }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            partner.writeAndFlush(unwrapInboundIn(data), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            partner.close(promise: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
