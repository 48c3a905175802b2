import Foundation
import Logging
import ParleyNotify
import ParleyServer

extension ServeCommand {
    /// The shortest `--outbox-lease`: longer than a webhook's 15 s timeout, so a slow
    /// receiver does not see its delivery taken over by another node while it answers.
    static let minOutboxLeaseSeconds = 20.0

    /// Web Push (the VAPID key and subject, the delay, the endpoint rules), tickets on
    /// escalation and the outbox lease.
    func configureNotifications(_ configuration: inout ServerConfiguration, dataFolder: URL, logger: Logger) throws {
        configuration.ticketOnEscalation = ticketOnEscalation
        guard outboxLease.isFinite, outboxLease >= Self.minOutboxLeaseSeconds, outboxLease <= 3_600 else {
            throw ValidationErrorText("--outbox-lease: expected \(Int(Self.minOutboxLeaseSeconds)) to 3600 seconds")
        }
        configuration.outboxLease = .milliseconds(Int64(outboxLease * 1_000))
        guard pushDelay.isFinite, pushDelay >= 0, pushDelay <= 86_400 else {
            throw ValidationErrorText("--push-delay: expected 0 to 86400 seconds")
        }
        var subject = vapidSubject ?? EnvironmentVariables.value("PARLEY_VAPID_SUBJECT")
        if let subject, !(subject.hasPrefix("mailto:") || subject.hasPrefix("https://")) {
            throw ValidationErrorText("--vapid-subject: expected mailto:… or https://…, got \(subject)")
        }
        let pem: String
        if let path = vapidPrivateKey ?? EnvironmentVariables.value("PARLEY_VAPID_PRIVATE_KEY") {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationErrorText("--vapid-private-key: cannot read \(path)")
            }
            guard subject != nil else {
                throw ValidationErrorText("--vapid-subject: required with --vapid-private-key (mailto:… or https://…)")
            }
            pem = text
        } else if dev {
            pem = try devVAPIDKey(dataFolder: dataFolder, logger: logger)
            subject = subject ?? "mailto:parley-dev@localhost"
        } else {
            logger.info("Web Push off: no --vapid-private-key")
            return
        }
        let signer: VAPIDSigner
        do {
            signer = try VAPIDSigner(pem: pem, subject: subject ?? "")
        } catch {
            throw ValidationErrorText("--vapid-private-key: not a P-256 private key in PEM (PKCS#8 or SEC 1): \(error)")
        }
        configuration.push = PushConfiguration(
            signer: signer, delay: .milliseconds(Int64(pushDelay * 1_000)), allowInsecure: pushAllowInsecure)
        if pushAllowInsecure { logger.warning("--push-allow-insecure: push endpoints may be http:// and private addresses") }
        logger.info("Web Push on", metadata: ["publicKey": "\(signer.publicKey)", "delaySeconds": "\(pushDelay)"])
    }

    /// `--dev`: a VAPID key kept in the data folder (made on first start, owner-only).
    private func devVAPIDKey(dataFolder: URL, logger: Logger) throws -> String {
        let path = dataFolder.appendingPathComponent("vapid-private-key.pem").path
        if let text = try? String(contentsOfFile: path, encoding: .utf8) { return text }
        try FileManager.default.createDirectory(at: dataFolder, withIntermediateDirectories: true)
        let text = try VAPIDSigner.generate(subject: "mailto:parley-dev@localhost").pemRepresentation
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ValidationErrorText("--dev: cannot write the Web Push key to \(path)")
        }
        logger.notice("--dev: generated a Web Push (VAPID) key", metadata: ["path": "\(path)"])
        return text
    }
}
