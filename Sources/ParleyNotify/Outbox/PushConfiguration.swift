/// Web Push on this server: the VAPID key that signs every request and the rules of
/// when and where to push (`--vapid-private-key`, `--vapid-subject`, `--push-delay`,
/// `--push-allow-insecure`).
public struct PushConfiguration: Sendable {
    /// How long after a message a recipient must have stayed away before it is pushed.
    public static let defaultDelay: Duration = .seconds(10)
    /// The contract's default `TTL`: a push service keeps an undelivered push a day.
    public static let defaultTimeToLiveSeconds = 86_400

    public var signer: VAPIDSigner
    public var delay: Duration
    /// Lifts the https-only and public-address rules on endpoints (development, tests).
    public var allowInsecure: Bool
    public var timeToLiveSeconds: Int

    public init(
        signer: VAPIDSigner, delay: Duration = PushConfiguration.defaultDelay, allowInsecure: Bool = false,
        timeToLiveSeconds: Int = PushConfiguration.defaultTimeToLiveSeconds
    ) {
        self.signer = signer
        self.delay = delay
        self.allowInsecure = allowInsecure
        self.timeToLiveSeconds = timeToLiveSeconds
    }
}
