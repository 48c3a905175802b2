public struct ArchiveBody: Codable, Sendable {
    public var archived: Bool
    public init(archived: Bool) { self.archived = archived }
}
