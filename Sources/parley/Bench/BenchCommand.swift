import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Load generators against a running Parley node; results go in docs/benchmarks.md.",
        subcommands: [RESTSendBench.self, PairsBench.self, IdleBench.self, FanoutBench.self, SearchBench.self])
}

/// Options every bench shares: where the node is and how to mint tokens for it.
struct BenchTarget: ParsableArguments {
    @Option(help: "Base URL of the node.")
    var url = "http://127.0.0.1:8080"

    @Option(name: .customLong("jwt-secret"), help: "The node's HS256 secret, to sign the bench users' tokens (PARLEY_JWT_SECRET; default: the --dev secret in ./parley-data).")
    var jwtSecret: String?
}
