import ArgumentParser
import AsyncHTTPClient
import Foundation
import ParleyClient
import ParleyCore
import ParleyServer

/// Durable sends over REST with N concurrent senders, each in its own conversation,
/// each waiting for its 201 before sending again (closed loop). With `--encrypted`, each
/// conversation is end-to-end encrypted: the sender registers a device, seals epoch 1 to
/// it, and encrypts and signs every message (in this process, on the same cores: the
/// server's extra work is checking the device's signature and storing the envelope).
struct RESTSendBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rest", abstract: "Durable REST sends/s and latency with 1, 16, 256 … concurrent senders.")

    @OptionGroup var target: BenchTarget

    @Option(help: "Comma-separated numbers of concurrent senders.")
    var senders = "1,16,256"

    @Option(help: "Seconds each run lasts (bounded).")
    var seconds = 10

    @Option(help: "Message size in bytes.")
    var size = 100

    @Flag(help: "End-to-end encrypted conversations: AES-256-GCM envelopes signed by a registered device.")
    var encrypted = false

    func run() async throws {
        let counts = senders.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ (1...2000).contains($0) }) else {
            throw ValidationError("--senders: comma-separated numbers from 1 to 2000")
        }
        guard (1...600).contains(seconds) else { throw ValidationError("--seconds: 1 to 600") }
        let signer = try await TokenSigner(secret: try BenchSecret.resolve(target.jwtSecret))
        let maxSenders = counts.max()!
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: maxSenders)
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await runAll(counts, signer: signer, httpClient: httpClient)
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
    }

    private func runAll(_ counts: [Int], signer: TokenSigner, httpClient: HTTPClient) async throws {
        let content = String(repeating: "x", count: max(1, size))
        let runID = Identifier.make(prefix: "bench").suffix(8)
        print(
            "REST send bench against \(target.url): \(seconds) s per run, \(size)-byte messages"
                + (encrypted ? ", end-to-end encrypted" : ""))
        for count in counts {
            var threads: [(ParleyRESTClient, E2EESession?, String)] = []
            for index in 0..<count {
                let buyerID = "bench-\(runID)-b\(index)"
                let buyer = ParleyRESTClient(
                    baseURL: target.url, token: try await signer.sign(userID: buyerID, role: .buyer), httpClient: httpClient)
                let conversation = try await buyer.createConversation(
                    .init(
                        participants: [.init(userId: buyerID, role: .buyer), .init(userId: "bench-\(runID)-s\(index)", role: .seller)],
                        orderId: "bench-\(runID)-\(count)-\(index)", encrypted: encrypted ? true : nil))
                let id = conversation.conversation.conversationID
                var session: E2EESession?
                if encrypted {
                    let device = E2EESession(userID: buyerID, identity: DeviceIdentity(deviceID: "bench-device"), client: buyer)
                    try await device.register()
                    try await device.startEpoch(id)
                    session = device
                }
                threads.append((buyer, session, id))
            }
            let recorder = LatencyRecorder()
            let start = ContinuousClock.now
            let deadline = start + .seconds(seconds)
            let senders = threads
            await ProgressReporter.reporting("\(count) senders", recorder: recorder, until: deadline) {
                await withTaskGroup(of: Void.self) { group in
                    for (client, session, id) in senders {
                        group.addTask {
                            while ContinuousClock.now < deadline {
                                let sent = ContinuousClock.now
                                do {
                                    if let session {
                                        _ = try await session.send(id, content)
                                    } else {
                                        _ = try await client.send(id, .init(content: content))
                                    }
                                    recorder.record(ContinuousClock.now - sent)
                                } catch {
                                    recorder.recordError()
                                }
                            }
                        }
                    }
                }
            }
            let elapsed = (ContinuousClock.now - start).seconds
            let rate = Double(recorder.count) / elapsed
            print(
                String(
                    format: "senders %4d: %7d sends in %.1f s = %8.0f sends/s  %@  errors %d",
                    count, Int(recorder.count), elapsed, rate, recorder.summary(), recorder.errors))
        }
    }
}
