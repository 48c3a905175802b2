/// Where the nodes of a cluster tell each other who is connected to them, so a user
/// online on any node is online, and a crashed node's users go offline.
///
/// `PresenceService` consults it only when its own state machine would announce a
/// change. One node alone needs none: `LocalPresenceDirectory`.
public protocol PresenceDirectory: Sendable {
    /// `userID` now has connections on this node. Returns whether it was already online
    /// on another live node (then nobody needs to hear it came online).
    func arrived(_ userID: String) async -> Bool
    /// `userID` has no connection left on this node. Returns whether it is still online
    /// on another live node (then nobody needs to hear it went offline).
    func departed(_ userID: String) async -> Bool
    /// Of `userIDs`, those online on another live node.
    func onlineElsewhere(_ userIDs: [String]) async -> Set<String>
    /// Says this node is alive, and returns the users that nodes found dead had
    /// connected and that are now online nowhere: to be announced offline.
    func heartbeat() async -> [String]
}

/// The directory of a node alone: nobody else to ask.
public struct LocalPresenceDirectory: PresenceDirectory {
    public init() {}
    public func arrived(_ userID: String) async -> Bool { false }
    public func departed(_ userID: String) async -> Bool { false }
    public func onlineElsewhere(_ userIDs: [String]) async -> Set<String> { [] }
    public func heartbeat() async -> [String] { [] }
}
