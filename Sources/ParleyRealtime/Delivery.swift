import ParleyCore

/// One event and the users it is for. Brokers carry deliveries between nodes; every
/// node's hub hands each one to the local connections of its recipients.
public struct Delivery: Sendable, Codable {
    public var recipients: [String]
    public var event: ServerEvent

    public init(recipients: [String], event: ServerEvent) {
        self.recipients = recipients
        self.event = event
    }
}
