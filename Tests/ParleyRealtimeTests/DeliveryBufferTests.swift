import Logging
import ParleyCore
import ParleyRealtime
import Testing

/// The bounded buffers between the stages of the delivery path: what they keep, what
/// they drop, and that a `message.new` dropped at a full buffer still reaches every
/// connection, read from the store by the sequencer.
@Suite struct DeliveryBufferTests {
    @Test func aFullBufferDropsTheNewestAndCountsIt() async throws {
        let buffer = DeliveryBuffer(name: "test", capacity: 3, logger: HubHardeningTests.logger)
        let accepted = (1...5).map { buffer.yield(HubHardeningTests.message(at: Int64($0))) }
        #expect(accepted == [true, true, true, false, false])
        #expect(buffer.droppedCount == 2)
        buffer.finish()
        #expect(!buffer.yield(HubHardeningTests.message(at: 6)), "a finished buffer takes nothing")
        var positions: [Int64] = []
        for await delivery in buffer.stream {
            if case .messageNew(_, let cursor) = delivery.event { positions.append(cursor.position) }
        }
        #expect(positions == [1, 2, 3], "what was kept, in order")
    }

    @Test func messagesDroppedAtAFullBufferAreReadFromTheStoreInOrder() async throws {
        let reads = Counter()
        let log = RangeLog { range in
            reads.value.withLock { $0 += 1 }
            return range.map { ($0, HubHardeningTests.message(at: $0)) }
        }
        var sequencerLimits = MessageSequencer.Limits()
        sequencerLimits.gapWait = .milliseconds(20)
        sequencerLimits.maxGapAge = .seconds(30)  // the fill, not the give-up time, is under test
        // On one node the hub hands deliveries straight to the in-memory broker's buffer
        // (its outbox is for brokers that send over the network): that buffer is the bound.
        let hub = Hub(
            broker: InProcessBroker(logger: HubHardeningTests.logger, capacity: 2), logger: HubHardeningTests.logger, log: log,
            sequencerLimits: sequencerLimits, outboxCapacity: 2)
        let sink = RecordingSink()
        _ = try hub.register(userID: "buyer1", sink: sink)
        // Before the hub runs, nothing drains the buffer: 3, 4 and 5 find it full.
        for position in 1...5 { hub.publish(HubHardeningTests.message(at: Int64(position))) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await hub.run() }
            defer { group.cancelAll() }
            #expect(try await sink.waitFor(2) == [1, 2].map { .message(position: $0) })
            // The next message shows the gap; the sequencer reads it from the store.
            hub.publish(HubHardeningTests.message(at: 6))
            let entries = try await sink.waitFor(6)
            #expect(entries == (1...6).map { .message(position: Int64($0)) })
            #expect(reads.value.withLock { $0 } >= 1)
        }
    }
}

/// A log that starts at position 0 and reads gaps with `read`.
private struct RangeLog: MessageLog {
    let read: @Sendable (ClosedRange<Int64>) async throws -> [(position: Int64, delivery: Delivery)]

    func latestPosition() async throws -> Int64 { 0 }

    func deliveries(in range: ClosedRange<Int64>, limit: Int) async throws -> [(position: Int64, delivery: Delivery)] {
        try await read(range)
    }
}
