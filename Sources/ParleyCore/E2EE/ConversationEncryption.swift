/// The end-to-end encryption state of an encrypted conversation, kept with it.
public struct ConversationEncryption: Sendable, Hashable, Codable {
    /// The newest epoch with a key set; 0 before the first.
    public var epoch: Int64
    /// The oldest epoch messages may still use (`stale_epoch` below it); 0 or 1 until a
    /// participant left and the next key set raised it.
    public var floor: Int64
    /// A participant left since the newest key set: the next key set raises `floor` to its
    /// epoch, so nothing more is sent with keys the leaver held.
    public var rekeyRequired: Bool

    public init(epoch: Int64 = 0, floor: Int64 = 0, rekeyRequired: Bool = false) {
        self.epoch = epoch
        self.floor = floor
        self.rekeyRequired = rekeyRequired
    }
}
