import Crypto

extension ServerConfiguration {
    /// The same configuration with `key` as its audit key: a node makes one key when none
    /// is configured, and its audit log and franking receipts both sign with it.
    func with(auditKey key: Curve25519.Signing.PrivateKey) -> ServerConfiguration {
        var configuration = self
        configuration.auditKey = key
        return configuration
    }
}
