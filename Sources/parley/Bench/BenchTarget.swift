import ArgumentParser

/// Options every bench shares: where the node is and how to mint tokens for it.
struct BenchTarget: ParsableArguments {
    @Option(help: "Base URL of the node.")
    var url = "http://127.0.0.1:8080"

    @Option(
        name: .customLong("jwt-secret"),
        help: "The node's HS256 secret, to sign the bench users' tokens (PARLEY_JWT_SECRET; default: the --dev secret in ./parley-data).")
    var jwtSecret: String?
}
