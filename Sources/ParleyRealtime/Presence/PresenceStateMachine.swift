import ParleyCore

/// Online and offline, from connections opening and closing: a plain state machine that
/// returns what to announce, tested without I/O. The clock is the caller's.
///
/// A user is online while it has a connection. When its last connection closes it is
/// announced offline only after `gracePeriod`, so a phone that reconnects at once does
/// not flap; the contract allows at most 15 s.
public struct PresenceStateMachine: Sendable {
    public enum Action: Equatable, Sendable {
        case announceOnline(userID: String)
        case announceOffline(userID: String, lastSeen: Timestamp)
    }

    private enum UserState: Equatable {
        case online(connections: Int)
        /// Last connection closed at `since`; offline is announced at `since + grace`.
        case leaving(since: Timestamp)
    }

    public let gracePeriodMilliseconds: Int64
    /// By the bytes of the id, as the stores tell users apart.
    private var users: [OpaqueID: UserState] = [:]
    /// When users announced offline closed their last connection, for `lastSeen(_:)`;
    /// kept for `departureMemoryMilliseconds` (a push waits seconds, not hours).
    private var departures: [OpaqueID: Timestamp] = [:]
    static let departureMemoryMilliseconds: Int64 = 3_600_000

    public init(gracePeriodMilliseconds: Int64) {
        self.gracePeriodMilliseconds = gracePeriodMilliseconds
    }

    public mutating func connected(_ userID: String) -> [Action] {
        let key = OpaqueID(userID)
        switch users[key] {
        case .online(let connections):
            users[key] = .online(connections: connections + 1)
            return []
        case .leaving:
            // Back within the grace period: the others never saw it leave.
            users[key] = .online(connections: 1)
            return []
        case nil:
            users[key] = .online(connections: 1)
            return [.announceOnline(userID: userID)]
        }
    }

    public mutating func disconnected(_ userID: String, at now: Timestamp) -> [Action] {
        let key = OpaqueID(userID)
        guard case .online(let connections) = users[key] else { return [] }
        users[key] = connections > 1 ? .online(connections: connections - 1) : .leaving(since: now)
        return []
    }

    /// Announces offline for every user whose grace period has passed.
    public mutating func tick(at now: Timestamp) -> [Action] {
        var actions: [Action] = []
        for (userID, state) in users {
            if case .leaving(let since) = state, now.millisecondsSince1970 - since.millisecondsSince1970 >= gracePeriodMilliseconds {
                users[userID] = nil
                departures[userID] = since
                actions.append(.announceOffline(userID: userID.string, lastSeen: since))
            }
        }
        departures = departures.filter { now.millisecondsSince1970 - $0.value.millisecondsSince1970 < Self.departureMemoryMilliseconds }
        return actions.sorted { "\($0)" < "\($1)" }
    }

    public func isOnline(_ userID: String) -> Bool { users[OpaqueID(userID)] != nil }

    /// When `userID`'s last connection on this node closed, if it is not connected now
    /// and closed one within the last hour; nil otherwise.
    public func lastSeen(_ userID: String) -> Timestamp? {
        let key = OpaqueID(userID)
        if case .leaving(let since) = users[key] { return since }
        return users[key] == nil ? departures[key] : nil
    }
}
