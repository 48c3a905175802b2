public struct PriorityBody: Codable, Sendable {
    public var priority: Priority
    public init(priority: Priority) { self.priority = priority }
}
