import Foundation
import ParleyClient
import ParleyCore
import Testing

/// `--stage-timings`: every stage of a WebSocket send to another user's socket is timed
/// into `/metrics`; without the flag, nothing is.
@Suite struct StageTimingsTests {
    static let stages = ["frame_wait", "send", "hub", "outbound_queue", "socket_write"]

    /// `parley_stage_duration_seconds_count{stage="…"}` per stage, from the exposition.
    static func counts(_ server: TestServer) async throws -> [String: Int] {
        let text = String(decoding: try await server.anonymous().raw(.GET, "/metrics").body, as: UTF8.self)
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("parley_stage_duration_seconds_count{") {
            guard let stage = line.split(separator: "\"").dropFirst().first, let value = line.split(separator: " ").last.flatMap({ Int($0) })
            else { continue }
            counts[String(stage)] = value
        }
        return counts
    }

    /// The seller sends `count` messages over its WebSocket; the buyer's socket gets them.
    static func exchange(_ server: TestServer, count: Int) async throws {
        let buyer = try await server.client("buyer1", .buyer)
        let id = try await buyer.createThread().conversation.conversationID
        _ = try await server.realtime("buyer1", .buyer) { buyerSession in
            try await buyerSession.send(.ping(id: nil))
            _ = try await buyerSession.next { if case .pong = $0 { true } else { false } }
            _ = try await server.realtime("seller1", .seller) { seller in
                for index in 0..<count {
                    try await seller.send(
                        .messageSend(
                            id: .number(Double(index)), conversationID: id, content: "envío \(index)", contentType: .text,
                            clientMessageID: "c-\(index)"))
                }
                for _ in 0..<count { _ = try await seller.next { if case .ack = $0 { true } else { false } } }
            }
            for _ in 0..<count { _ = try await buyerSession.next { $0.newMessage != nil } }
        }
    }

    @Test func withTheFlagEachStageOfASendToAnotherSocketIsTimed() async throws {
        var options = TestServer.Options()
        options.stageTimings = true
        try await TestServer.with(options: options) { server in
            try await Self.exchange(server, count: 5)
            let counts = try await Self.counts(server)
            #expect(counts["frame_wait"] == 5, "one per message.send frame: \(counts)")
            #expect(counts["send"] == 5, "\(counts)")
            // At least the five message.new (presence and read events are published too).
            #expect((counts["hub"] ?? 0) >= 5, "\(counts)")
            // Five acks and five message.new to the seller, five message.new to the buyer.
            #expect((counts["outbound_queue"] ?? 0) >= 15, "\(counts)")
            #expect((counts["socket_write"] ?? 0) >= 1, "\(counts)")
            #expect(Set(counts.keys) == Set(Self.stages))
        }
    }

    @Test func withoutTheFlagNothingIsTimed() async throws {
        try await TestServer.with { server in
            try await Self.exchange(server, count: 2)
            let text = String(decoding: try await server.anonymous().raw(.GET, "/metrics").body, as: UTF8.self)
            #expect(!text.contains("parley_stage_duration"))
            #expect(text.contains("parley_messages_stored_total"), "the other metrics are there")
        }
    }
}
