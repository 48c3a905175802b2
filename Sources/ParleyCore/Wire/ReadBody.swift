public struct ReadBody: Codable, Sendable {
    public var seq: Int64
    public init(seq: Int64) { self.seq = seq }
}
