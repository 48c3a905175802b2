import ServiceLifecycle

/// Runs the assistant's automatic answers beside the server (and keeps its directory of
/// who it may answer for fresh), and stops them with it.
public struct AutoAnswerService: Service {
    let assist: AssistService
    let queue: AutoAnswerQueue

    public init(assist: AssistService, queue: AutoAnswerQueue) {
        self.assist = assist
        self.queue = queue
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await assist.runAutoAnswers() }
                group.addTask {
                    // Who the assistant may answer for, read again and again until shutdown.
                    while !Task.isCancelled {
                        await assist.refreshDirectory()
                        try? await Task.sleep(for: AutoAnswerQueue.directoryRefreshInterval)
                    }
                }
                await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            queue.finish()
        }
    }
}
