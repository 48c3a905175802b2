import ParleyCore

/// Runs `operation`, or gives up with `unavailable` after `limit` (a database that is
/// down would otherwise keep a request waiting for a connection).
func withDeadline<Value: Sendable>(
    _ limit: Duration, _ operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    try await withThrowingTaskGroup(of: Value.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw ParleyError.unavailable(reason: "the database did not answer in time")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
