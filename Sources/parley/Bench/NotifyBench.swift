import ArgumentParser
import AsyncHTTPClient
import Crypto
import Foundation
import ParleyClient
import ParleyCore
import ParleyNotify
import ParleyServer

/// Notifications through the real API, against a node started with `--push-delay 0
/// --push-allow-insecure --rate-limit 0` and a VAPID key (or `--dev`), with the bench's
/// own push service and webhook receiver (`NotifyBenchSink`) on 127.0.0.1:
///
/// 1. **push**: a buyer subscribes with a key pair the bench makes; a seller sends K
///    messages, each in its own conversation, paced, while the buyer is not connected;
///    the time from each send (its `201`, and from just before it) to the push request
///    for that conversation (matched by `Topic`) at the sink.
/// 2. **webhooks**: one webhook for `message.created` at the sink; M messages sent as fast
///    as N closed-loop senders go; deliveries per second from the first send to the
///    last delivery.
/// 3. **sends**: closed-loop durable sends/s with no webhook, then with W webhooks for
///    `message.created` at the sink (their deliveries drained before the next round),
///    and the ratio.
struct NotifyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Push latency (p50/p99), webhook deliveries/s and send throughput with webhooks vs none.")

    enum Phase: String, CaseIterable {
        case push, webhooks, sends
    }

    /// Bounds of one run (a bench stops by itself).
    static let maxPushes = 10_000
    static let maxMessages = 200_000
    static let maxWebhooks = 100
    static let maxSenders = 1_000
    /// How often the bench looks at the sink while it waits for arrivals; the arrival
    /// times are taken by the sink itself, so this only bounds how soon a phase ends.
    static let waitStep = Duration.milliseconds(10)

    @OptionGroup var target: BenchTarget

    @Option(help: "Comma-separated phases: push, webhooks, sends.")
    var phases = "push,webhooks,sends"

    @Option(help: "Push phase: messages (each in its own conversation, each one push).")
    var pushes = 200

    @Option(name: .customLong("push-interval-ms"), help: "Push phase: milliseconds between the starts of two sends.")
    var pushIntervalMs = 50

    @Option(help: "Webhooks phase: messages sent (one delivery each).")
    var messages = 5_000

    @Option(help: "Webhooks and sends phases: concurrent senders, each in its own conversation.")
    var senders = 16

    @Option(help: "Sends phase: webhooks registered in the measured run.")
    var webhooks = 10

    @Option(help: "Sends phase: seconds each closed-loop run lasts.")
    var seconds = 10

    @Option(help: "Sends phase: rounds of (no webhook, webhooks).")
    var rounds = 1

    @Option(help: "Longest wait, in seconds, for the pushes or deliveries of one phase to arrive.")
    var timeout = 300

    func validate() throws {
        guard !(try parsedPhases()).isEmpty else { throw ValidationError("--phases: one or more of push, webhooks, sends") }
        guard (1...Self.maxPushes).contains(pushes) else { throw ValidationError("--pushes: 1 to \(Self.maxPushes)") }
        guard (0...10_000).contains(pushIntervalMs) else { throw ValidationError("--push-interval-ms: 0 to 10000") }
        guard (1...Self.maxMessages).contains(messages) else { throw ValidationError("--messages: 1 to \(Self.maxMessages)") }
        guard (1...Self.maxSenders).contains(senders) else { throw ValidationError("--senders: 1 to \(Self.maxSenders)") }
        guard (1...Self.maxWebhooks).contains(webhooks) else { throw ValidationError("--webhooks: 1 to \(Self.maxWebhooks)") }
        guard (1...600).contains(seconds) else { throw ValidationError("--seconds: 1 to 600") }
        guard (1...10).contains(rounds) else { throw ValidationError("--rounds: 1 to 10") }
        guard (1...3_600).contains(timeout) else { throw ValidationError("--timeout: 1 to 3600") }
    }

    private func parsedPhases() throws -> [Phase] {
        try phases.split(separator: ",").map { name in
            guard let phase = Phase(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--phases: unknown phase \(name)")
            }
            return phase
        }
    }

    func run() async throws {
        let chosen = try parsedPhases()
        let signer = try await TokenSigner(secret: try BenchSecret.resolve(target.jwtSecret))
        var configuration = HTTPClient.Configuration()
        // One connection per sender, and a few for the seller, buyer and service of the setup.
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: senders + 4)
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let sink: NotifyBenchSink
        do {
            sink = try await NotifyBenchSink.start()
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        let context = Context(
            url: target.url, runID: String(Identifier.make(prefix: "bench").suffix(8)), signer: signer, httpClient: httpClient,
            sink: sink)
        print("Notify bench against \(target.url), push service and webhook receiver at \(sink.url("/"))")
        do {
            for phase in chosen {
                switch phase {
                case .push: try await measurePush(context)
                case .webhooks: try await measureWebhookRate(context)
                case .sends: try await measureSendCost(context)
                }
            }
        } catch {
            await sink.stop()
            try? await httpClient.shutdown()
            throw error
        }
        await sink.stop()
        try await httpClient.shutdown()
    }

    // MARK: 1. Push latency

    private func measurePush(_ context: Context) async throws {
        let buyerID = "bench-\(context.runID)-pb"
        let buyer = try await context.client(buyerID, .buyer)
        let seller = try await context.client("bench-\(context.runID)-ps", .seller, name: "Tienda Bench")
        do {
            _ = try await buyer.pushKey()
        } catch let error as ParleyClientError where error.status == 503 {
            throw Failure("the node has no Web Push: start it with --vapid-private-key/--vapid-subject (or --dev), --push-delay 0 and --push-allow-insecure")
        }
        // A subscription as a browser makes it: an ECDH P-256 key and a 16-byte secret.
        let key = P256.KeyAgreement.PrivateKey()
        var generator = SystemRandomNumberGenerator()
        let authSecret = Data((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let path = "/push/\(context.runID)"
        let subscription = try await buyer.subscribePush(
            .init(
                endpoint: context.sink.url(path),
                keys: .init(
                    p256dh: Data(key.publicKey.x963Representation).base64URLEncodedString(),
                    auth: authSecret.base64URLEncodedString())))

        var conversations: [String] = []
        for index in 0..<pushes {
            let created = try await seller.createConversation(
                .init(
                    participants: [.init(userId: buyerID, role: .buyer), .init(userId: "bench-\(context.runID)-ps", role: .seller)],
                    orderId: "bench-\(context.runID)-push-\(index)"))
            conversations.append(created.conversation.conversationID)
        }
        print("push: \(pushes) messages, one every \(pushIntervalMs) ms, each in its own conversation; buyer not connected")

        // Sent one after another on a fixed schedule, so the sends fall on every phase of
        // the drainer's polling rather than in one burst.
        var sent: [(topic: String, before: ContinuousClock.Instant, acknowledged: ContinuousClock.Instant)] = []
        var sendErrors = 0
        let sendLatency = LatencyRecorder()
        let start = ContinuousClock.now
        for (index, conversationID) in conversations.enumerated() {
            let due = start + .milliseconds(pushIntervalMs * index)
            if ContinuousClock.now < due { try await Task.sleep(until: due, clock: .continuous) }
            let before = ContinuousClock.now
            do {
                _ = try await seller.send(conversationID, .init(content: "Sale mañana por la mañana, te paso el número de envío (\(index))."))
            } catch {
                sendErrors += 1
                continue
            }
            let acknowledged = ContinuousClock.now
            sendLatency.record(acknowledged - before)
            sent.append((PushTopic.of(conversationID: conversationID), before, acknowledged))
        }

        let topics = sent.map(\.topic)
        let deadline = ContinuousClock.now + .seconds(timeout)
        var arrived = context.sink.arrivals.arrivals(topics: topics)
        while arrived.count < topics.count, ContinuousClock.now < deadline {
            try await Task.sleep(for: Self.waitStep)
            arrived = context.sink.arrivals.arrivals(topics: topics)
        }
        let fromAcknowledgement = LatencyRecorder()
        let fromBeforeSend = LatencyRecorder()
        var repeated = 0
        for entry in sent {
            guard let times = arrived[entry.topic], let first = times.min() else { continue }
            repeated += times.count - 1
            fromAcknowledgement.record(first - entry.acknowledged)
            fromBeforeSend.record(first - entry.before)
        }
        let total = context.sink.arrivals.tally(prefix: path).count
        print(
            "push: \(sent.count) sent (\(sendErrors) send errors), \(arrived.count) pushed, \(sent.count - arrived.count) missing, "
                + "\(repeated) repeated, \(total - arrived.values.reduce(0) { $0 + $1.count }) unmatched")
        print("push: send (201)           \(sendLatency.summary())")
        print("push: 201 → push at sink   \(fromAcknowledgement.summary())")
        print("push: send → push at sink  \(fromBeforeSend.summary())")
        try? await buyer.unsubscribePush(subscription.subscriptionID)
    }

    // MARK: 2. Webhook deliveries per second

    private func measureWebhookRate(_ context: Context) async throws {
        let service = try await context.client("bench-\(context.runID)-svc", .service)
        let path = "/hook/\(context.runID)/rate"
        let webhook = try await service.registerWebhook(url: context.sink.url(path), events: [.messageCreated])
        let threads = try await context.conversations(senders, label: "rate")
        print("webhooks: 1 webhook (message.created), \(messages) messages from \(senders) closed-loop senders")
        let run = await Self.sendLoop(threads, limit: messages, seconds: timeout, label: "webhooks")
        let deadline = ContinuousClock.now + .seconds(timeout)
        while context.sink.arrivals.tally(prefix: path).count < run.sent, ContinuousClock.now < deadline {
            try await Task.sleep(for: Self.waitStep)
        }
        let tally = context.sink.arrivals.tally(prefix: path)
        try? await service.deleteWebhook(webhook.webhookID)
        guard let last = tally.last else { throw Failure("webhooks: no delivery arrived in \(timeout) s") }
        let span = (last - run.start).seconds
        print(
            String(
                format: "webhooks: %d sends in %.2f s = %.0f sends/s (errors %d); %d deliveries, first send → last delivery %.2f s "
                    + "= %.0f deliveries/s; last delivery %.2f s after the last send",
                run.sent, run.elapsed, Double(run.sent) / run.elapsed, run.recorder.errors, tally.count, span,
                Double(tally.count) / span, (last - run.end).seconds))
    }

    // MARK: 3. Send throughput with webhooks registered

    private func measureSendCost(_ context: Context) async throws {
        let service = try await context.client("bench-\(context.runID)-svc", .service)
        print("sends: \(senders) closed-loop senders, \(seconds) s a run; no webhook, then \(webhooks) webhooks (message.created)")
        var ratios: [Double] = []
        for round in 1...rounds {
            let without = await Self.sendLoop(
                try await context.conversations(senders, label: "none\(round)"), limit: Self.maxMessages, seconds: seconds,
                label: "no webhook")
            print(Self.describe("sends, no webhook      ", without))

            let prefix = "/hook/\(context.runID)/load\(round)/"
            var registered: [String] = []
            for index in 0..<webhooks {
                registered.append(
                    try await service.registerWebhook(url: context.sink.url(prefix + "\(index)"), events: [.messageCreated]).webhookID)
            }
            let with = await Self.sendLoop(
                try await context.conversations(senders, label: "hooks\(round)"), limit: Self.maxMessages, seconds: seconds,
                label: "\(webhooks) webhooks")
            let deliveredDuringRun = context.sink.arrivals.tally(prefix: prefix).count
            print(Self.describe(String(format: "sends, %2d webhooks     ", webhooks), with))
            let rate = Double(with.sent) / with.elapsed / (Double(without.sent) / without.elapsed)
            ratios.append(rate)
            print(String(format: "sends: round %d: with / without = %.3f", round, rate))

            // The deliveries queued by the run are drained before the next run, which
            // would otherwise share the node with them.
            let expected = with.sent * webhooks
            let deadline = ContinuousClock.now + .seconds(timeout)
            while context.sink.arrivals.tally(prefix: prefix).count < expected, ContinuousClock.now < deadline {
                try await Task.sleep(for: Self.waitStep)
            }
            let tally = context.sink.arrivals.tally(prefix: prefix)
            let drained = ((tally.last ?? with.end) - with.end).seconds
            print(
                String(
                    format: "sends: %d deliveries expected, %d during the run, %d in all; the last %.2f s after the run "
                        + "(%.0f deliveries/s from the run's start)",
                    expected, deliveredDuringRun, tally.count, drained,
                    Double(tally.count) / ((tally.last ?? with.end) - with.start).seconds))
            for webhookID in registered { try? await service.deleteWebhook(webhookID) }
        }
        if ratios.count > 1 {
            print("sends: with / without by round: " + ratios.map { String(format: "%.3f", $0) }.joined(separator: " · "))
        }
    }

    private static func describe(_ label: String, _ run: SendRun) -> String {
        String(
            format: "%@ %7d sends in %.1f s = %7.0f sends/s  %@  errors %d", label, run.sent, run.elapsed,
            Double(run.sent) / run.elapsed, run.recorder.summary(), run.recorder.errors)
    }

    /// Closed-loop durable sends: each thread sends and waits for its `201` before the
    /// next, until `limit` sends in all or `seconds` have passed.
    private static func sendLoop(
        _ threads: [(ParleyRESTClient, String)], limit: Int, seconds: Int, label: String
    ) async -> SendRun {
        let recorder = LatencyRecorder()
        let tickets = AttachmentBench.Tickets()
        let start = ContinuousClock.now
        let deadline = start + .seconds(seconds)
        let content = String(repeating: "x", count: 100)
        await ProgressReporter.reporting(label, recorder: recorder, until: deadline) {
            await withTaskGroup(of: Void.self) { group in
                for (client, conversationID) in threads {
                    group.addTask {
                        while ContinuousClock.now < deadline, tickets.take() < limit {
                            let sent = ContinuousClock.now
                            do {
                                _ = try await client.send(conversationID, .init(content: content))
                                recorder.record(ContinuousClock.now - sent)
                            } catch {
                                recorder.recordError()
                            }
                        }
                    }
                }
            }
        }
        let end = ContinuousClock.now
        return SendRun(start: start, end: end, sent: Int(recorder.count), recorder: recorder)
    }
}

extension NotifyBench {
    /// What every phase needs: the node, the run's id (in every user and order id), the
    /// token signer, the HTTP client and the sink.
    struct Context: Sendable {
        let url: String
        let runID: String
        let signer: TokenSigner
        let httpClient: HTTPClient
        let sink: NotifyBenchSink

        func client(_ userID: String, _ role: Role, name: String? = nil) async throws -> ParleyRESTClient {
            ParleyRESTClient(baseURL: url, token: try await signer.sign(userID: userID, role: role, name: name), httpClient: httpClient)
        }

        /// `count` new conversations, each with its own buyer (who sends) and seller.
        func conversations(_ count: Int, label: String) async throws -> [(ParleyRESTClient, String)] {
            var threads: [(ParleyRESTClient, String)] = []
            for index in 0..<count {
                let buyerID = "bench-\(runID)-\(label)-b\(index)"
                let buyer = try await client(buyerID, .buyer)
                let created = try await buyer.createConversation(
                    .init(
                        participants: [
                            .init(userId: buyerID, role: .buyer), .init(userId: "bench-\(runID)-\(label)-s\(index)", role: .seller),
                        ],
                        orderId: "bench-\(runID)-\(label)-\(index)"))
                threads.append((buyer, created.conversation.conversationID))
            }
            return threads
        }
    }

    /// One closed-loop run: when it started and ended and how many sends were acknowledged.
    struct SendRun {
        let start: ContinuousClock.Instant
        let end: ContinuousClock.Instant
        let sent: Int
        let recorder: LatencyRecorder

        var elapsed: Double { (end - start).seconds }
    }

    /// A bench failure with its reason.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
