import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Load generators against a running Parley node; results go in docs/benchmarks.md.",
        subcommands: [RESTSendBench.self, PairsBench.self, IdleBench.self, FanoutBench.self, SearchBench.self,
            AttachmentBench.self, ThumbnailBench.self, NotifyBench.self, AuditBench.self,
        ])
}
