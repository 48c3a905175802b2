import Foundation
import Logging
import ParleyCore
import ParleyPostgres

extension DatabaseLocation {
    /// The folder beside the SQLite file, or `./parley-data` with PostgreSQL: where
    /// `--dev` keeps its secret and the audit key is kept when none is given.
    var dataFolder: URL {
        switch self {
        case .sqlite(let path): URL(fileURLWithPath: path).deletingLastPathComponent()
        case .postgres: URL(fileURLWithPath: "./parley-data")
        }
    }

    /// Connects to the PostgreSQL store of `url` (applying pending migrations); the
    /// errors quote the URL with its password masked.
    static func openPostgres(url: String, logger: Logger) async throws -> PostgresConversationStore {
        guard let postgres = PostgresLocation(url) else {
            throw ValidationErrorText(
                "--database: expected postgres://user:password@host:port/database[?sslmode=require][&connect_timeout=1...600], got \(URLRedaction.redact(url))")
        }
        do {
            return try await PostgresConversationStore(location: postgres, logger: logger)
        } catch {
            // `postgres` prints without its password; the error's text must not bring it back.
            var reason = String(reflecting: error)
            if let password = postgres.password, !password.isEmpty {
                reason = reason.replacingOccurrences(of: password, with: URLRedaction.mask)
            }
            throw ValidationErrorText("--database: cannot open \(postgres): \(reason)")
        }
    }
}
