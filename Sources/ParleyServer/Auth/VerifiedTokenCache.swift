import Foundation
import JWTKit
import ParleyCore
import Synchronization

/// Tokens already verified, with the caller they name, until they expire.
///
/// Concurrency: a `Mutex` guards the table; when full it is emptied of expired entries,
/// then of everything (verification is only slower, never wrong, after a purge).
final class VerifiedTokenCache: Sendable {
    private let capacity: Int
    private let entries = Mutex<[String: Principal]>([:])

    init(capacity: Int) { self.capacity = capacity }

    /// The cached caller, if the token is known and not expired at `nowMilliseconds`.
    func principal(for token: String, nowMilliseconds: Int64) -> Principal? {
        entries.withLock { entries in
            guard let principal = entries[token] else { return nil }
            if let expiresAt = principal.expiresAt, expiresAt.millisecondsSince1970 <= nowMilliseconds {
                entries[token] = nil
                return nil
            }
            return principal
        }
    }

    func insert(_ principal: Principal, for token: String) {
        entries.withLock { entries in
            if entries.count >= capacity {
                let now = SystemWallClock().now().millisecondsSince1970
                entries = entries.filter { ($0.value.expiresAt?.millisecondsSince1970 ?? 0) > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = principal
        }
    }
}
