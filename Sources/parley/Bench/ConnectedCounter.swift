import ArgumentParser
import Foundation
import ParleyClient
import ParleyCore
import Synchronization

/// Counts open connections and remembers when the last one opened.
final class ConnectedCounter: Sendable {
    private let state = Mutex<(count: Int, allOpenAt: ContinuousClock.Instant?)>((0, nil))

    func increment() { state.withLock { $0.count += 1 } }

    var value: Int { state.withLock { $0.count } }

    var allOpenAt: ContinuousClock.Instant? { state.withLock { $0.allOpenAt } }

    func markAllOpen() { state.withLock { $0.allOpenAt = ContinuousClock.now } }
}
