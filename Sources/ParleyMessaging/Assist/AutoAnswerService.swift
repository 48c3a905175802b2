import ServiceLifecycle

/// Runs the assistant's automatic answers beside the server, and stops them with it.
public struct AutoAnswerService: Service {
    let assist: AssistService
    let queue: AutoAnswerQueue

    public init(assist: AssistService, queue: AutoAnswerQueue) {
        self.assist = assist
        self.queue = queue
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await assist.runAutoAnswers()
        } onGracefulShutdown: {
            queue.finish()
        }
    }
}
