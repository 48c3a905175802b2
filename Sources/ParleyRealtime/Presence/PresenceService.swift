import Logging
import ParleyCore
import ServiceLifecycle
import Synchronization

/// Presence on this node: feeds connection openings and closings to the
/// `PresenceStateMachine` and announces its decisions to the users who share a
/// conversation with the subject.
///
/// Concurrency: the state machine lives behind a `Mutex`; announcing (which reads the
/// store) happens outside it. `run()` ticks once a second to end grace periods.
public final class PresenceService: Service {
    /// How long a user stays "online" after its last connection closes: long enough to
    /// ride out a reconnect, well inside the contract's 15 s.
    public static let defaultGracePeriodMilliseconds: Int64 = 5_000
    /// Presence goes to at most this many related users per change, and a new
    /// connection hears of at most this many: a seller with 50,000 buyers is normal in a
    /// marketplace. The snapshot is written at the pace the client reads (it never sits
    /// in the outbound queue), and looking it up costs O(n) here and a few round trips
    /// to the directory.
    public static let maxAudience = 50_000

    public typealias RelatedUsers = @Sendable (_ userID: String) async throws -> [String]

    /// How often this node tells the directory it is alive and looks for dead nodes.
    public static let heartbeatInterval: Duration = .seconds(2)

    /// Presence changes announced at once, each a directory call and a store read of the
    /// audience: when a node's clients drop together (a mass disconnect, a crashed node's
    /// users) thousands are due in the same tick, and one after another they took
    /// minutes; all at once they would open thousands of reads.
    public static let announcementConcurrency = 16

    private let hub: Hub
    private let directory: any PresenceDirectory
    private let relatedUsers: RelatedUsers
    private let clock: any WallClock
    private let logger: Logger
    private let state: Mutex<PresenceStateMachine>

    public init(
        hub: Hub, clock: any WallClock, logger: Logger,
        gracePeriodMilliseconds: Int64 = PresenceService.defaultGracePeriodMilliseconds,
        directory: any PresenceDirectory = LocalPresenceDirectory(),
        relatedUsers: @escaping RelatedUsers
    ) {
        self.hub = hub
        self.directory = directory
        self.relatedUsers = relatedUsers
        self.clock = clock
        self.logger = logger
        state = Mutex(PresenceStateMachine(gracePeriodMilliseconds: gracePeriodMilliseconds))
    }

    /// Records a new connection of `userID`, announces it online if it was not, and
    /// returns the related users who are online now: what the new connection is told
    /// first. The related users are looked up once for both.
    public func connected(_ userID: String) async -> [String] {
        let related: [String]
        do {
            related = try await relatedUsers(userID)
        } catch {
            logger.warning("could not look up related users", metadata: ["user": "\(userID)", "error": "\(error)"])
            related = []
        }
        let actions = state.withLock { $0.connected(userID) }
        if actions.contains(.announceOnline(userID: userID)), !(await directory.arrived(userID)) {
            hub.publish(Delivery(recipients: related, event: .presence(userID: userID, state: .online, lastSeen: clock.now())))
        }
        // O(n): one pass to split the related users, one directory call for the rest.
        var seen = Set<OpaqueID>()
        var local: [String] = []
        var others: [String] = []
        state.withLock { machine in
            for userID in related where seen.insert(OpaqueID(userID)).inserted {
                if machine.isOnline(userID) { local.append(userID) } else { others.append(userID) }
            }
        }
        guard !others.isEmpty else { return local }
        let elsewhere = Set(await directory.onlineElsewhere(others).map(OpaqueID.init))
        return local + others.filter { elsewhere.contains(OpaqueID($0)) }
    }

    /// Whether `userID` had no connection from `since` until now, as this node and the
    /// directory know it: not connected here (nor in its grace period), none closed here
    /// at or after `since`, and not online on another node now. (A connection opened and
    /// closed on another node within the interval is not seen: the directory keeps no
    /// times.) For Web Push's "stayed away".
    public func stayedAway(_ userID: String, since: Timestamp) async -> Bool {
        let (online, lastSeen) = state.withLock { ($0.isOnline(userID) && $0.lastSeen(userID) == nil, $0.lastSeen(userID)) }
        if online { return false }
        if let lastSeen, lastSeen >= since { return false }
        return await directory.onlineElsewhere([userID]).isEmpty
    }

    public func disconnected(_ userID: String) {
        let now = clock.now()
        _ = state.withLock { $0.disconnected(userID, at: now) }
    }

    public func run() async throws {
        _ = await directory.heartbeat()
        var lastHeartbeat = ContinuousClock.now
        while !Task.isCancelledOrShuttingDown {
            try? await Task.sleep(for: .seconds(1))
            let now = clock.now()
            let actions = state.withLock { $0.tick(at: now) }
            await perform(actions)
            if ContinuousClock.now - lastHeartbeat >= Self.heartbeatInterval {
                lastHeartbeat = ContinuousClock.now
                // Users of crashed nodes, online nowhere now (unless connected here).
                let orphans = await directory.heartbeat().filter { userID in !state.withLock { $0.isOnline(userID) } }
                await forEachConcurrently(orphans, limit: Self.announcementConcurrency) { [self] userID in
                    await announce(userID, .presence(userID: userID, state: .offline, lastSeen: now))
                }
            }
        }
    }

    private func perform(_ actions: [PresenceStateMachine.Action]) async {
        await forEachConcurrently(actions, limit: Self.announcementConcurrency) { [self] action in
            switch action {
            case .announceOnline(let userID):
                if await directory.arrived(userID) { return }
                await announce(userID, .presence(userID: userID, state: .online, lastSeen: clock.now()))
            case .announceOffline(let userID, let lastSeen):
                if await directory.departed(userID) { return }
                await announce(userID, .presence(userID: userID, state: .offline, lastSeen: lastSeen))
            }
        }
    }

    /// Sends `event` to the users who share a conversation with `userID`.
    private func announce(_ userID: String, _ event: ServerEvent) async {
        do {
            let audience = try await relatedUsers(userID)
            hub.publish(Delivery(recipients: audience, event: event))
        } catch {
            logger.warning("could not announce presence", metadata: ["user": "\(userID)", "error": "\(error)"])
        }
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
