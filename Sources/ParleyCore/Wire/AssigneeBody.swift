public struct AssigneeBody: Codable, Sendable {
    public var assignedTo: String?
    public init(assignedTo: String?) { self.assignedTo = assignedTo }

    private enum CodingKeys: String, CodingKey { case assignedTo }

    public init(from decoder: any Decoder) throws {
        // `assignedTo` must be present: `null` unassigns, a missing field is a mistake.
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.contains(.assignedTo) else {
            throw DecodingError.keyNotFound(
                CodingKeys.assignedTo, .init(codingPath: [], debugDescription: "required (a user id or null)"))
        }
        assignedTo = try container.decodeIfPresent(String.self, forKey: .assignedTo)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(assignedTo, forKey: .assignedTo)
    }
}
