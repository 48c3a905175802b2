import Crypto
import ParleyCore

extension AuditService {
    /// The audit service of a node whose store keeps an audit log (`AuditStore`), signing
    /// with the configured key or, without one (tests, tools), a key made now.
    static func forNode(configuration: ServerConfiguration, store: any Sendable, clock: any WallClock) -> AuditService? {
        guard let auditStore = store as? any AuditStore else { return nil }
        return AuditService(
            store: auditStore, key: configuration.auditKey ?? Curve25519.Signing.PrivateKey(), clock: clock,
            logger: configuration.logger)
    }
}
