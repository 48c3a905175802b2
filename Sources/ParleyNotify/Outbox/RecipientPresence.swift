import ParleyCore

/// Whether a user was away, for the push rule "no open realtime connection on any node
/// during the whole interval". The server answers it from its presence service.
public protocol RecipientPresence: Sendable {
    /// True when `userID` had no open realtime connection from `since` until now.
    func stayedAway(_ userID: String, since: Timestamp) async -> Bool
}
