/// Sizes the notification API keeps to, each with its reason.
public enum NotifyLimits {
    /// A person uses a handful of browsers; past this, the oldest subscription goes (a
    /// browser that re-subscribes often leaves dead ones behind).
    public static let maxSubscriptionsPerUser = 10
    /// The marketplace's backend and help desk, a few integrations each.
    public static let maxWebhooks = 50
    /// Attempts listed by `GET /api/webhooks/{id}/deliveries`.
    public static let deliveriesListed = 100
    /// How long attempts are kept in the log.
    public static let deliveryLogRetention: Duration = .seconds(7 * 24 * 3_600)
    /// After a rotation, the old secret signs too for this long (the contract's 24 h).
    public static let rotationGrace: Duration = .seconds(24 * 3_600)
}
