/// A seller's choices for the assist features.
public struct AssistSettings: Sendable, Hashable, Codable {
    /// Whether `parley.assistant` answers the seller's buyers by itself. On by default:
    /// a seller with FAQ entries wants them used.
    public var autoAnswer: Bool

    public init(autoAnswer: Bool = true) {
        self.autoAnswer = autoAnswer
    }
}

/// Who the assistant may answer for, in one read: sellers with enabled entries, whether
/// global entries exist, and sellers who turned automatic answers off. Nodes keep it in
/// memory so a buyer's message in a shop with nothing to answer costs nothing.
public struct AssistDirectory: Sendable, Equatable {
    public var sellersWithEntries: Set<String>
    public var hasGlobalEntries: Bool
    public var mutedSellers: Set<String>

    public init(sellersWithEntries: Set<String> = [], hasGlobalEntries: Bool = false, mutedSellers: Set<String> = []) {
        self.sellersWithEntries = sellersWithEntries
        self.hasGlobalEntries = hasGlobalEntries
        self.mutedSellers = mutedSellers
    }
}
