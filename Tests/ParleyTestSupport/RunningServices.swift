import Logging
import ServiceLifecycle

/// Runs `services` in one service group for as long as `body` runs, then shuts them down
/// gracefully — also when `body` throws — so every test leaves nothing running.
public func withRunningServices<Value: Sendable>(
    _ services: [any Service], logger: Logger, _ body: () async throws -> Value
) async throws -> Value {
    try await withRunningServiceGroup(services, logger: logger) { _ in try await body() }
}

/// The same, handing `body` the group (a test that shuts it down itself).
public func withRunningServiceGroup<Value: Sendable>(
    _ services: [any Service], logger: Logger, _ body: (ServiceGroup) async throws -> Value
) async throws -> Value {
    let group = ServiceGroup(services: services, gracefulShutdownSignals: [], logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let result = try await body(group)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}
