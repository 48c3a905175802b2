import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Sends the server's outgoing notification requests (Web Push and webhook `POST`s)
/// through one shared HTTP client set up for untrusted receivers: redirects are never
/// followed (a 3xx is the answer), bodies are sent whole with `Content-Length`, answers are
/// not decompressed and at most `answerBodyLimit` bytes of them are read.
///
/// Its owner calls `shutdown()` once no request is in flight (the `OutboxDrainer`, when
/// it stops; tests).
public final class NotifyHTTPSender: Sendable {
    /// Time to set up a TCP (and TLS) connection: a receiver that takes longer is down.
    public static let connectTimeout: TimeAmount = .seconds(10)
    /// The longest a request may take by default: the contract's webhook timeout. Pushes
    /// pass `pushTimeout`.
    public static let defaultTimeout: Duration = .seconds(15)
    /// Push services answer within milliseconds when they are up.
    public static let pushTimeout: Duration = .seconds(10)
    /// The most bytes of an answer's body read (and thrown away): an answer's body is never
    /// used, and a receiver must not make the server read megabytes.
    public static let answerBodyLimit = 4096

    /// Connections kept to one host at once (the drainer has at most 40 webhook
    /// deliveries in flight).
    public static let connectionsPerHost = 40

    private let client: HTTPClient
    private let logger: Logger

    public init(logger: Logger = Logger(label: "parley.notify.http")) {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.connectTimeout, read: .nanoseconds(Self.defaultTimeout.nanoseconds)),
            decompression: .disabled)
        // Idle connections to push services are reused for the next pushes; not for long,
        // as many receivers are seldom called.
        configuration.connectionPool = .init(idleTimeout: .seconds(30))
        // Up to as many requests to one receiver at once as the drainer sends (its
        // webhook slots): the client's default of 8 connections a host made one slow
        // receiver the limit of every delivery to it.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = Self.connectionsPerHost
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.logger = logger
    }

    /// `POST`s `body` to `url` with `headers` (`Content-Length` is added) and waits at
    /// most `timeout` for the answer's head. Never throws: every failure is an answer
    /// without a status.
    public func post(
        url: String, headers: [(String, String)], body: [UInt8], timeout: Duration = defaultTimeout
    ) async -> DeliveryAnswer {
        let start = ContinuousClock.now
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = HTTPHeaders(headers)
        if !request.headers.contains(name: "User-Agent") { request.headers.add(name: "User-Agent", value: "parley") }
        // A body of known length: the client writes `Content-Length` (never chunked),
        // which push services require.
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(timeout.nanoseconds), logger: logger)
            let retryAfter = response.headers.first(name: "Retry-After").flatMap { DeliveryAnswer.retryAfter(parsing: $0) }
            // Read a little of the body so that a short answer frees the connection for
            // reuse; stop at the limit (the client then closes the connection).
            var read = 0
            do {
                for try await chunk in response.body {
                    read += chunk.readableBytes
                    if read >= Self.answerBodyLimit { break }
                }
            } catch {
                // The status has come; a body cut short changes nothing.
            }
            return DeliveryAnswer(status: Int(response.status.code), retryAfter: retryAfter, duration: start.duration(to: .now))
        } catch {
            return DeliveryAnswer(status: nil, error: Self.describe(error, timeout: timeout), duration: start.duration(to: .now))
        }
    }

    /// Shuts the client down; no request can be sent afterwards.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// A short text for a failed request, for the deliveries list and logs.
    static func describe(_ error: any Error, timeout: Duration) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "no answer within \(timeout)"
            case .connectTimeout: return "could not connect within \(connectTimeout)"
            case .remoteConnectionClosed: return "the receiver closed the connection without answering"
            default: return "\(error)"
            }
        }
        return String(describing: error)
    }
}

extension Duration {
    /// The whole duration in nanoseconds (for NIO's `TimeAmount`).
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
