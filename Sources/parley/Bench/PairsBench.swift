import ArgumentParser
import Foundation
import ParleyClient
import ParleyCore
import Synchronization

/// P buyer–seller pairs over WebSockets: each seller sends M messages with up to W
/// unacknowledged, optionally paced to a total rate; each buyer measures the latency
/// from send to its `message.new`.
struct PairsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pairs", abstract: "Delivered durable messages/s and latency between buyer–seller pairs.")

    @OptionGroup var target: BenchTarget

    @Option(help: "Buyer–seller pairs (two connections each).")
    var pairs = 1000

    @Option(help: "Messages each seller sends.")
    var messages = 20

    @Option(help: "Unacknowledged sends a seller may have in flight.")
    var window = 4

    @Option(help: "Total send rate in messages/s across all sellers; 0 sends as fast as acks allow.")
    var rate = 0.0

    @Option(help: "Padding bytes per message.")
    var size = 64

    @Option(help: "Seconds before the run is cut short (bounded).")
    var timeout = 120

    @Option(
        name: .customLong("receiver-url"),
        help: "Base URL the buyers connect to: another node of the cluster, to measure cross-node delivery (default: --url).")
    var receiverURL: String?

    func run() async throws {
        guard (1...9000).contains(pairs), (1...100_000).contains(messages), (1...256).contains(window), rate >= 0,
            (1...3600).contains(timeout)
        else { throw ValidationError("pairs 1–9000, messages 1–100000, window 1–256, rate ≥ 0, timeout 1–3600") }
        raiseOpenFileLimit()
        let support = try await RealtimeBenchSupport(target: target)
        let receiverURL = self.receiverURL ?? target.url
        print(
            "pairs bench against \(target.url)" + (receiverURL == target.url ? "" : " (buyers on \(receiverURL))")
                + ": \(pairs) pairs × \(messages) messages, window \(window), "
                + (rate > 0 ? "paced to \(Int(rate)) msgs/s" : "unpaced"))
        let ids = try await support.createPairs(pairs)
        let stagesBefore = await StageReport.read(target.url)
        let recorder = LatencyRecorder()
        let connected = ConnectedCounter()
        let expected = pairs * messages
        let start = ContinuousClock.now
        let deadline = start + .seconds(timeout)
        let interval: Duration? = rate > 0 ? .nanoseconds(Int64(Double(pairs) / rate * 1e9)) : nil
        let allConnected = Gate()
        await ProgressReporter.reporting("delivered", recorder: recorder, until: deadline) {
            await withTaskGroup(of: Void.self) { group in
                for (index, id) in ids.enumerated() {
                    let buyerID = "b-\(support.runID)-\(index)"
                    let sellerID = "s-\(support.runID)-\(index)"
                    group.addTask {
                        await Self.receive(
                            as: buyerID, in: id, at: receiverURL, expecting: messages, support: support, recorder: recorder,
                            connected: connected, deadline: deadline)
                    }
                    group.addTask {
                        await Self.send(
                            as: sellerID, in: id, count: messages, window: window, interval: interval, size: size,
                            support: support, connected: connected, startSignal: allConnected, errors: recorder,
                            deadline: deadline)
                    }
                }
                group.addTask {
                    while connected.value < 2 * pairs, ContinuousClock.now < deadline {
                        try? await Task.sleep(for: .milliseconds(50))
                    }
                    FileHandle.standardError.write(Data("  \(connected.value) connections open; sending\n".utf8))
                    connected.markAllOpen()
                    allConnected.open()
                }
            }
        }
        let sendStart = connected.allOpenAt ?? start
        let elapsed = (ContinuousClock.now - sendStart).seconds
        let delivered = Int(recorder.count)
        print(
            String(
                format: "delivered %d of %d in %.2f s = %.0f msgs/s  %@  errors %d",
                delivered, expected, elapsed, Double(delivered) / elapsed, recorder.summary(), recorder.errors))
        if let stages = await StageReport.read(target.url) {
            print("where the time went on \(target.url) (serve --stage-timings):")
            for line in stages.lines(since: stagesBefore) { print(line) }
        }
    }

    static func receive(
        as userID: String, in conversationID: String, at baseURL: String, expecting count: Int, support: RealtimeBenchSupport,
        recorder: LatencyRecorder, connected: ConnectedCounter, deadline: ContinuousClock.Instant
    ) async {
        do {
            _ = try await RealtimeSession.open(baseURL: baseURL, credentials: .token(try await support.token(userID, .buyer))) {
                session in
                try await session.send(.ping(id: nil))
                _ = try await session.receive()
                connected.increment()
                var received = 0
                while received < count, ContinuousClock.now < deadline, let frame = try await session.receive() {
                    if case .event(.messageNew(let message, _)) = frame, message.conversationID == conversationID {
                        received += 1
                        if let age = RealtimeBenchSupport.age(of: message.content) { recorder.record(age) }
                    }
                }
            }
        } catch {
            recorder.recordError()
        }
    }

    static func send(
        as userID: String, in conversationID: String, count: Int, window: Int, interval: Duration?, size: Int,
        support: RealtimeBenchSupport, connected: ConnectedCounter, startSignal: Gate, errors: LatencyRecorder,
        deadline: ContinuousClock.Instant
    ) async {
        do {
            _ = try await RealtimeSession.open(baseURL: support.target.url, credentials: .token(try await support.token(userID, .seller))) {
                session in
                try await session.send(.ping(id: nil))
                _ = try await session.receive()
                connected.increment()
                await startSignal.wait()
                var sent = 0
                var acknowledged = 0
                // Paced senders start at a random phase of their interval, so the total
                // load is spread over time instead of arriving in synchronized bursts.
                var nextSend = ContinuousClock.now
                if let interval { nextSend += interval * Double.random(in: 0..<1) }
                while acknowledged < count, ContinuousClock.now < deadline {
                    if sent < count, sent - acknowledged < window, ContinuousClock.now >= nextSend {
                        try await session.send(
                            .messageSend(
                                id: .number(Double(sent)), conversationID: conversationID,
                                content: RealtimeBenchSupport.stampedContent(padding: size), contentType: .text,
                                clientMessageID: nil))
                        sent += 1
                        if let interval { nextSend += interval }
                        continue
                    }
                    if sent < count, sent - acknowledged < window {
                        try await Task.sleep(until: nextSend)
                        continue
                    }
                    guard let frame = try await session.receive() else { break }
                    switch frame {
                    case .ack: acknowledged += 1
                    case .error(.some, _):
                        // Refused (e.g. rate_limited): counted as done, reported as an error.
                        acknowledged += 1
                        errors.recordError()
                    default: break
                    }
                }
            }
        } catch {
            FileHandle.standardError.write(Data("  sender \(userID): \(error)\n".utf8))
        }
    }
}
