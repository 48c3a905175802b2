public struct LabelsBody: Codable, Sendable {
    public var labels: [String]
    public init(labels: [String]) { self.labels = labels }
}
