import NIOCore

/// Runs the jobs of the tasks that prefer it (`withTaskExecutorPreference`, SE-0417) on
/// one NIO event loop: code that awaits the futures of a connection on that loop resumes
/// there, on the loop's own thread, instead of going through Swift's shared concurrency
/// pool behind every other task of the node.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
