import ArgumentParser

@main
struct Parley: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "Real-time messaging for marketplaces: buyers, sellers and support.",
        subcommands: [ServeCommand.self, TokenCommand.self, BenchCommand.self, AssistCommand.self, AuditCommand.self]
    )
}
