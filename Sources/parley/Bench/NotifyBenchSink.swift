import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The push service and webhook receiver of `parley bench notify`: a plain HTTP/1.1
/// server on 127.0.0.1 that answers every request at once (`201` under `/push/`, as a
/// push service does, `200` elsewhere) and notes when each request's head arrived, by
/// path and by `Topic` header.
///
/// It runs on SwiftNIO's event loops in the bench's own process, so its arrival times
/// are on the same clock as the sends, and it keeps up with thousands of requests a
/// second (a receiver that lagged would be measured instead of the server).
final class NotifyBenchSink: Sendable {
    /// What arrived on one path.
    struct PathTally: Sendable {
        var count = 0
        var first: ContinuousClock.Instant?
        var last: ContinuousClock.Instant?
    }

    /// Arrivals, shared by the connections' handlers and the bench.
    final class Arrivals: Sendable {
        private let paths = Mutex<[String: PathTally]>([:])
        private let topics = Mutex<[String: [ContinuousClock.Instant]]>([:])

        func record(path: String, topic: String?, at instant: ContinuousClock.Instant) {
            paths.withLock { paths in
                var tally = paths[path, default: PathTally()]
                tally.count += 1
                tally.first = tally.first ?? instant
                tally.last = instant
                paths[path] = tally
            }
            if let topic { topics.withLock { $0[topic, default: []].append(instant) } }
        }

        /// The requests on every path that starts with `prefix`, added up.
        func tally(prefix: String) -> PathTally {
            paths.withLock { paths in
                var total = PathTally()
                for (path, tally) in paths where path.hasPrefix(prefix) {
                    total.count += tally.count
                    if let first = tally.first { total.first = min(total.first ?? first, first) }
                    if let last = tally.last { total.last = max(total.last ?? last, last) }
                }
                return total
            }
        }

        /// When requests with each of `wanted` as their `Topic` arrived (topics with none left out).
        func arrivals(topics wanted: [String]) -> [String: [ContinuousClock.Instant]] {
            topics.withLock { topics in
                var found: [String: [ContinuousClock.Instant]] = [:]
                for topic in wanted { if let times = topics[topic] { found[topic] = times } }
                return found
            }
        }
    }

    /// Pending connections the kernel keeps: the server's drainer opens up to 64 at once.
    static let backlog: Int32 = 256

    let arrivals: Arrivals
    let port: Int
    private let channel: any Channel

    private init(channel: any Channel, port: Int, arrivals: Arrivals) {
        self.channel = channel
        self.port = port
        self.arrivals = arrivals
    }

    /// Listens on 127.0.0.1 on a port the kernel picks.
    static func start() async throws -> NotifyBenchSink {
        let arrivals = Arrivals()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                do {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(arrivals: arrivals))
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw NotifyBench.Failure("the sink got no port")
        }
        return NotifyBenchSink(channel: channel, port: port, arrivals: arrivals)
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func stop() async { try? await channel.close() }

    /// Notes each request when its head arrives and answers it when its body has.
    private final class RequestHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let arrivals: Arrivals
        private var status: HTTPResponseStatus = .ok
        private var keepAlive = true

        init(arrivals: Arrivals) { self.arrivals = arrivals }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                arrivals.record(path: head.uri, topic: head.headers.first(name: "topic"), at: .now)
                status = head.uri.hasPrefix("/push/") ? .created : .ok
                keepAlive = head.isKeepAlive
            case .body:
                break
            case .end:
                var headers = HTTPHeaders()
                headers.add(name: "content-length", value: "0")
                if !keepAlive { headers.add(name: "connection", value: "close") }
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
                if keepAlive {
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                } else {
                    let channel = context.channel
                    context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
                }
            }
        }
    }
}
