import Foundation
import Logging
import ParleyAudit
import ParleyServer

extension ServeCommand {
    /// The audit key: `--audit-key` (or `PARLEY_AUDIT_KEY`), else the one kept in the data
    /// folder, made there on first start.
    func configureAudit(_ configuration: inout ServerConfiguration, dataFolder: URL, logger: Logger) throws {
        if let path = auditKey ?? EnvironmentVariables.value("PARLEY_AUDIT_KEY") {
            do {
                configuration.auditKey = try AuditSigningKey.load(path: path)
            } catch {
                throw ValidationErrorText("--audit-key: \(error.description)")
            }
            logger.info("audit checkpoints signed with the key in \(path)")
            return
        }
        let path = dataFolder.appendingPathComponent(AuditSigningKey.fileName).path
        do {
            let (key, created) = try AuditSigningKey.loadOrCreate(in: dataFolder)
            configuration.auditKey = key
            logger.info(created ? "audit key generated and kept in \(path)" : "audit checkpoints signed with the key kept in \(path)")
        } catch {
            throw ValidationErrorText("audit key: \(error.description) (or pass --audit-key)")
        }
    }
}
