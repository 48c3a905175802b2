/// The role a token grants its holder.
///
/// `buyer` and `seller` have the same rights: the role that matters inside a
/// conversation is the participant's role, not the token's. `support` reads and acts
/// on every conversation; `service` is the marketplace's own backend.
public enum Role: String, Codable, Sendable, CaseIterable {
    case buyer
    case seller
    case support
    case service

    /// Whether this role sees every conversation, not only those it takes part in.
    public var seesEverything: Bool { self == .support || self == .service }
}
