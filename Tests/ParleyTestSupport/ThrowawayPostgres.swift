import Foundation
import Logging
import PostgresNIO

/// A new, empty database on the test PostgreSQL server (`PARLEY_TEST_POSTGRES_URL`,
/// which `scripts/test.sh` starts), dropped when `body` ends.
public enum ThrowawayPostgres {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "PARLEY_TEST_POSTGRES_URL is not set: run the tests through scripts/test.sh, which starts a PostgreSQL"
        }
    }

    public static var serverURL: String? { ProcessInfo.processInfo.environment["PARLEY_TEST_POSTGRES_URL"] }

    /// Runs `body` with the URL of a fresh database.
    public static func withDatabase<T: Sendable>(_ body: (_ url: String) async throws -> T) async throws -> T {
        guard let serverURL, let components = URLComponents(string: serverURL), let host = components.host else {
            throw NotConfigured()
        }
        let name = "parley_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        var logger = Logger(label: "test-postgres")
        logger.logLevel = .error
        let configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: "postgres", tls: .disable)
        let admin = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        var databaseURL = components
        databaseURL.path = "/" + name
        do {
            let result = try await body(databaseURL.string!)
            try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: logger)
            try await admin.close()
            return result
        } catch {
            _ = try? await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: logger)
            try? await admin.close()
            throw error
        }
    }
}
