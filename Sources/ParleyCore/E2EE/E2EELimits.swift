/// The sizes end-to-end encryption bounds, with their reasons.
public enum E2EELimits {
    /// Devices a user may register at once: a phone, a tablet, a few browsers. Beyond it
    /// every epoch key set grows for every conversation of the user; retire one first.
    public static let maxDevicesPerUser = 10
    /// Device registrations, key replacements and retirements one user may make per hour
    /// (a token bucket: this many at once, then one every 3600/this seconds). Each change
    /// is an audit leaf and a `devices.changed` to everyone the user shares a conversation
    /// with, whose clients then start a new epoch everywhere: far more than a person
    /// setting up phones and browsers needs, far less than a loop amplifying it. Counted
    /// in memory on each node (`MessagingService.deviceChanges`), like the write limit.
    public static let maxDeviceChangesPerHour = 20
    /// Epochs one conversation may have. Each is a key set sealed to every member's
    /// devices (up to `maxSealedPerKeySet` rows) that every client fetches: a thousand
    /// membership or device changes is more than a conversation lives through, and a
    /// bound on what a loop can store. Beyond it: `409 conflict` (start a new conversation).
    public static let maxEpochsPerConversation: Int64 = 1_000
    /// An uncompressed P-256 point (`0x04‖x‖y`).
    public static let publicKeyBytes = 65
    /// ECDSA P-256 signatures as WebCrypto and swift-crypto write them (r‖s).
    public static let signatureBytes = 64
    /// A sealed epoch key is HPKE's enc (65) ‖ the 32-byte key ‖ the 16-byte tag = 113
    /// bytes; room for another suite's overhead, never a message's worth.
    public static let maxSealedKeyBytes = 256
    /// Recipients of one key set: every device of 20 participants and the assignee.
    public static let maxSealedPerKeySet = (Limits.maxParticipants + 1) * maxDevicesPerUser
    /// AES-GCM nonce.
    public static let ivBytes = 12
    /// AES-GCM's tag: a ciphertext holds at least that.
    public static let minCiphertextBytes = 16
    /// The JSON `{"content": …, "franking": …}` of a message at the content limit, with
    /// room for JSON escapes (WebCrypto's callers use `JSON.stringify`, which escapes
    /// only quotes, backslashes and control characters), plus the tag.
    public static let maxCiphertextBytes = 4 * Limits.maxContentBytes + 1_024
    /// HMAC-SHA256 commitments and the franking key.
    public static let commitmentBytes = 32
    public static let frankingKeyBytes = 32
    /// A report's revealed text: a message's content.
    public static let maxReportContentBytes = Limits.maxContentBytes
    /// Reports per page of `GET /api/reports`.
    public static let defaultReportPageSize = 50
    public static let maxReportPageSize = 200
}
