import ArgumentParser

/// `parley audit …`: the audit log seen from outside the server.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the audit log (an RFC 9162 Merkle log) from outside the server.",
        subcommands: [AuditVerifyCommand.self])
}
