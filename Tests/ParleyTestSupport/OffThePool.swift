import Foundation

/// Runs CPU-bound test work (training a model, scoring a whole corpus) on a thread of its
/// own instead of Swift concurrency's cooperative pool.
///
/// The pool has one thread per core: on a two-core machine a test that computes for
/// seconds on it leaves one thread for every other test running in parallel, whose
/// timeouts, holds and deadlines then fail for no fault of their own.
public func offThePool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        // The encoder and the trainer recurse little, but their frames hold large arrays.
        thread.stackSize = 8 << 20
        thread.start()
    }
}
