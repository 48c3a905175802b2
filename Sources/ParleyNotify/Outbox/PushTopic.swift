import Crypto
import Foundation
import ParleyCore

/// The `Topic` header of a conversation's pushes: a push service keeps only the newest
/// push of a topic it has not delivered yet, so a burst of messages wakes a phone once.
/// RFC 8030 allows at most 32 base64url characters; the conversation id is hashed so
/// that any id fits (and is not shown to the push service).
public enum PushTopic {
    public static func of(conversationID: String) -> String {
        let digest = SHA256.hash(data: Data(conversationID.utf8))
        return String(Data(digest.prefix(24)).base64URLEncodedString().prefix(32))
    }
}
