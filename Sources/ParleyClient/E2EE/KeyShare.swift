/// Epoch keys this device sealed to another user's devices on escalation: what a
/// participant's client shows ("shared with support agent7's 2 devices").
public struct KeyShare: Sendable, Hashable {
    public var conversationID: String
    public var recipientUserID: String
    public var recipientDeviceIDs: [String]
    public var epochs: [Int64]

    public init(conversationID: String, recipientUserID: String, recipientDeviceIDs: [String], epochs: [Int64]) {
        self.conversationID = conversationID
        self.recipientUserID = recipientUserID
        self.recipientDeviceIDs = recipientDeviceIDs
        self.epochs = epochs
    }
}
