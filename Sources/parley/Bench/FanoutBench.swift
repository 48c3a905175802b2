import ArgumentParser
import Foundation
import ParleyClient
import ParleyCore

/// One conversation, many devices: a seller sends, D connections of the buyer each
/// receive every message.
struct FanoutBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout", abstract: "One conversation, many devices: events delivered/s and latency.")

    @OptionGroup var target: BenchTarget

    @Option(help: "Connections of the receiving user.")
    var devices = 500

    @Option(help: "Messages sent.")
    var messages = 200

    @Option(help: "Unacknowledged sends in flight.")
    var window = 8

    @Option(help: "Seconds before the run is cut short (bounded).")
    var timeout = 120

    func run() async throws {
        guard (1...9000).contains(devices), (1...100_000).contains(messages), (1...256).contains(window),
            (1...3600).contains(timeout)
        else { throw ValidationError("devices 1–9000, messages 1–100000, window 1–256, timeout 1–3600") }
        raiseOpenFileLimit()
        let support = try await RealtimeBenchSupport(target: target)
        print("fanout bench against \(target.url): \(devices) devices × \(messages) messages")
        let id = try await support.createPairs(1)[0]
        let buyerID = "b-\(support.runID)-0"
        let sellerID = "s-\(support.runID)-0"
        let recorder = LatencyRecorder()
        let connected = ConnectedCounter()
        let allConnected = Gate()
        let deadline = ContinuousClock.now + .seconds(timeout)
        await ProgressReporter.reporting("delivered", recorder: recorder, until: deadline) {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<devices {
                    group.addTask {
                        await PairsBench.receive(
                            as: buyerID, in: id, at: support.target.url, expecting: messages, support: support, recorder: recorder,
                            connected: connected, deadline: deadline)
                    }
                }
                group.addTask {
                    await PairsBench.send(
                        as: sellerID, in: id, count: messages, window: window, interval: nil, size: 64,
                        support: support, connected: connected, startSignal: allConnected, errors: recorder,
                        deadline: deadline)
                }
                group.addTask {
                    while connected.value < devices + 1, ContinuousClock.now < deadline {
                        try? await Task.sleep(for: .milliseconds(50))
                    }
                    connected.markAllOpen()
                    allConnected.open()
                }
            }
        }
        let elapsed = (ContinuousClock.now - (connected.allOpenAt ?? ContinuousClock.now)).seconds
        print(
            String(
                format: "delivered %d of %d events in %.2f s = %.0f events/s  %@  errors %d",
                Int(recorder.count), devices * messages, elapsed, Double(recorder.count) / elapsed, recorder.summary(),
                recorder.errors))
    }
}
