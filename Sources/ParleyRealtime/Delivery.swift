import ParleyCore

/// One event and the users it is for. Brokers carry deliveries between nodes; every
/// node's hub hands each one to the local connections of its recipients.
///
/// A `message.new` whose message has restricted annotations carries `disclosures`: what
/// each recipient may see of it (``MessageDisclosure``); a recipient missing from it
/// sees the content only. A delivery `toEverySupportUser` goes to every connection of a
/// `support` user on every node, besides its recipients.
public struct Delivery: Sendable, Codable {
    public var recipients: [String]
    public var event: ServerEvent
    public var disclosures: [String: MessageDisclosure]?
    public var toEverySupportUser: Bool?
    /// When it was published, in microseconds of the wall clock, by a node with stage
    /// timings on (`StageTimings.Stage.hub`); absent otherwise.
    public var publishedAtMicroseconds: Int64?

    public init(
        recipients: [String], event: ServerEvent, disclosures: [String: MessageDisclosure]? = nil,
        toEverySupportUser: Bool = false
    ) {
        self.recipients = recipients
        self.event = event
        self.disclosures = disclosures
        self.toEverySupportUser = toEverySupportUser ? true : nil
    }
}
