import ParleyCore
import Testing

@testable import ParleyRealtime

/// The in-memory ticket store: single use, 60 s, bounded, and cheap however many are
/// outstanding. Time is passed in.
@Suite struct TicketStoreTests {
    static func at(_ milliseconds: Int64) -> Timestamp { Timestamp(millisecondsSince1970: 1_800_000_000_000 + milliseconds) }
    static let ana = Principal(userID: "ana", role: .buyer)

    @Test func aTicketIsRedeemedOnceAndOnlyWithinItsLifetime() async throws {
        let store = InMemoryTicketStore()
        let ticket = try await store.issue(for: Self.ana, now: Self.at(0))
        #expect(try await store.redeem(ticket, now: Self.at(59_999)) == Self.ana)
        #expect(try await store.redeem(ticket, now: Self.at(59_999)) == nil, "single use")
        let late = try await store.issue(for: Self.ana, now: Self.at(0))
        #expect(try await store.redeem(late, now: Self.at(60_000)) == nil, "expired")
    }

    @Test func pastTheBoundTheOldestTicketsGoAndExpiredOnesAreForgotten() async throws {
        let store = InMemoryTicketStore(maxOutstanding: 3)
        var tickets: [String] = []
        for second in 0..<5 { tickets.append(try await store.issue(for: Self.ana, now: Self.at(Int64(second) * 1_000))) }
        #expect(store.outstandingCount == 3)
        #expect(try await store.redeem(tickets[0], now: Self.at(5_000)) == nil, "dropped, the oldest")
        #expect(try await store.redeem(tickets[1], now: Self.at(5_000)) == nil)
        #expect(try await store.redeem(tickets[4], now: Self.at(5_000)) == Self.ana)
        // A minute later the rest have expired; the next issue forgets them.
        _ = try await store.issue(for: Self.ana, now: Self.at(70_000))
        #expect(store.outstandingCount == 1)
    }

    @Test func redeemedTicketsDoNotPushOutLiveOnes() async throws {
        let store = InMemoryTicketStore(maxOutstanding: 10)
        let keeper = try await store.issue(for: Self.ana, now: Self.at(0))
        // Many more issued and redeemed than the bound, all within the minute.
        for index in 0..<1_000 {
            let ticket = try await store.issue(for: Self.ana, now: Self.at(Int64(index)))
            #expect(try await store.redeem(ticket, now: Self.at(Int64(index))) == Self.ana)
        }
        #expect(try await store.redeem(keeper, now: Self.at(1_000)) == Self.ana)
    }

    /// Once full, issuing used to scan (and copy) every outstanding ticket: thousands of
    /// issues took minutes. Now each costs the same as with an empty store.
    @Test func issuingStaysCheapWithTheStoreFull() async throws {
        let store = InMemoryTicketStore()
        for _ in 0..<InMemoryTicketStore.maxOutstanding { _ = try await store.issue(for: Self.ana, now: Self.at(0)) }
        let start = ContinuousClock.now
        for _ in 0..<2_000 { _ = try await store.issue(for: Self.ana, now: Self.at(1_000)) }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .seconds(2), "2,000 issues with 100,000 outstanding took \(elapsed)")
        #expect(store.outstandingCount == InMemoryTicketStore.maxOutstanding)
    }
}
