import ParleyCore
import ParleyRealtime
import Testing

/// Presence decisions, without sockets or clocks: time is passed in.
@Suite struct PresenceStateMachineTests {
    static func at(_ milliseconds: Int64) -> Timestamp { Timestamp(millisecondsSince1970: milliseconds) }

    @Test func theFirstConnectionAnnouncesOnlineAndLaterOnesDoNot() {
        var machine = PresenceStateMachine(gracePeriodMilliseconds: 5_000)
        #expect(machine.connected("ana") == [.announceOnline(userID: "ana")])
        #expect(machine.connected("ana") == [])
        #expect(machine.isOnline("ana"))
        #expect(!machine.isOnline("bob"))
    }

    @Test func offlineComesOnlyAfterTheLastConnectionAndTheGracePeriod() {
        var machine = PresenceStateMachine(gracePeriodMilliseconds: 5_000)
        _ = machine.connected("ana")
        _ = machine.connected("ana")
        _ = machine.disconnected("ana", at: Self.at(1_000))
        #expect(machine.tick(at: Self.at(60_000)) == [], "one connection is still open")
        _ = machine.disconnected("ana", at: Self.at(2_000))
        #expect(machine.tick(at: Self.at(6_999)) == [], "still within the grace period")
        #expect(machine.isOnline("ana"))
        #expect(machine.tick(at: Self.at(7_000)) == [.announceOffline(userID: "ana", lastSeen: Self.at(2_000))])
        #expect(!machine.isOnline("ana"))
        #expect(machine.tick(at: Self.at(20_000)) == [], "announced once")
    }

    @Test func aReconnectWithinTheGracePeriodIsNeverSeen() {
        var machine = PresenceStateMachine(gracePeriodMilliseconds: 5_000)
        _ = machine.connected("ana")
        _ = machine.disconnected("ana", at: Self.at(1_000))
        #expect(machine.connected("ana") == [], "no second online")
        #expect(machine.tick(at: Self.at(10_000)) == [], "no offline either")
        #expect(machine.isOnline("ana"))
    }

    @Test func aDisconnectWithoutAConnectionChangesNothing() {
        var machine = PresenceStateMachine(gracePeriodMilliseconds: 5_000)
        #expect(machine.disconnected("ghost", at: Self.at(0)) == [])
        #expect(machine.tick(at: Self.at(10_000)) == [])
    }
}
