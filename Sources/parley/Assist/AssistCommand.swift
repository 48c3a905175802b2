import ArgumentParser

struct AssistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assist",
        abstract: "Automatic FAQ answers: measure the matcher on the evaluation set.",
        subcommands: [
            AssistEvalCommand.self, AssistTrainSentimentCommand.self, AssistTrainSentimentWordsCommand.self, AssistSentimentEvalCommand.self, AssistMaskingEvalCommand.self])
}
