import ParleyCore
import ParleyNotify
import ParleyRealtime

/// Web Push's "stayed away", answered by this node's presence service.
struct PresenceRecipients: RecipientPresence {
    let presence: PresenceService

    func stayedAway(_ userID: String, since: Timestamp) async -> Bool {
        await presence.stayedAway(userID, since: since)
    }
}
