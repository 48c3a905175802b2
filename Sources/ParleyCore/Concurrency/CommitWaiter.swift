import Synchronization

/// The caller's side of one queued write: it waits until the batch holding the write has
/// committed, then gets the write's own result. Shared by the stores' group-commit writers.
public final class CommitWaiter<Value: Sendable>: Sendable {
    private let afterCommit: (@Sendable (Value) -> Void)?
    private let continuation: CheckedContinuation<Value, any Error>
    private let outcome = Mutex<Result<Value, any Error>?>(nil)

    public init(afterCommit: (@Sendable (Value) -> Void)?, continuation: CheckedContinuation<Value, any Error>) {
        self.afterCommit = afterCommit
        self.continuation = continuation
    }

    /// What the write itself did, inside the batch (kept until the batch ends).
    public func record(_ result: Result<Value, any Error>) {
        outcome.withLock { $0 = result }
    }

    /// Answers the caller once: with the write's result when the batch committed (running
    /// `afterCommit` first on success), with `commitError` when it did not.
    public func complete(commitError: (any Error)?) {
        if let commitError {
            continuation.resume(throwing: commitError)
            return
        }
        let result = outcome.withLock { $0 } ?? .failure(ParleyError.unavailable(reason: "the write did not run"))
        if case .success(let value) = result { afterCommit?(value) }
        continuation.resume(with: result)
    }
}
