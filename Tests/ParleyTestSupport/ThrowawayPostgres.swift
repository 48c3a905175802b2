import Foundation
import Logging
import PostgresNIO

/// A new, empty database on the test PostgreSQL server (`PARLEY_TEST_POSTGRES_URL`,
/// which `scripts/test.sh` starts), dropped when `body` ends. Tests that need a server of
/// their own (to stop and start it) use `ThrowawayPostgresServer`.
public enum ThrowawayPostgres {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "PARLEY_TEST_POSTGRES_URL is not set: run the tests through scripts/test.sh, which starts a PostgreSQL"
        }
    }

    /// The test server's URL; `nil` when none is configured (suites that need it are
    /// `.enabled(if: ThrowawayPostgres.serverURL != nil)`).
    public static var serverURL: String? { ProcessInfo.processInfo.environment["PARLEY_TEST_POSTGRES_URL"] }

    /// Runs `body` with the URL of a fresh database on `server` (the configured test
    /// server by default).
    public static func withDatabase<T: Sendable>(
        on server: String? = serverURL, _ body: (_ url: String) async throws -> T
    ) async throws -> T {
        guard let server, var databaseURL = URLComponents(string: server) else { throw NotConfigured() }
        let name = "parley_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let logger = quietLogger()
        let admin = try await connect(to: server, database: "postgres", logger: logger)
        try await admin.query("CREATE DATABASE \(unescaped: name)", logger: logger)
        databaseURL.path = "/" + name
        // A test run starts dozens of stores at once on two cores: a pool connection or
        // a read can take longer than the 3 s a production node allows (two store tests
        // failed so in CI with "the database did not answer in time").
        databaseURL.queryItems = (databaseURL.queryItems ?? []) + [URLQueryItem(name: "connect_timeout", value: "30")]
        do {
            let result = try await body(databaseURL.string!)
            try await admin.query("DROP DATABASE \(unescaped: name) WITH (FORCE)", logger: logger)
            try await admin.close()
            return result
        } catch {
            _ = try? await admin.query("DROP DATABASE \(unescaped: name) WITH (FORCE)", logger: logger)
            try? await admin.close()
            throw error
        }
    }

    /// Runs `sql` (text of the test's own) in the database at `url`, behind the back of
    /// any store using it.
    public static func execute(_ sql: String, inDatabase url: String) async throws {
        let logger = quietLogger()
        let connection = try await connect(to: url, database: nil, logger: logger)
        do {
            try await connection.query("\(unescaped: sql)", logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    /// A connection to the server at `url` (loopback, no TLS), to `database` or the URL's own.
    static func connect(to url: String, database: String?, logger: Logger) async throws -> PostgresConnection {
        guard let components = URLComponents(string: url), let host = components.host else { throw NotConfigured() }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: database ?? (path.isEmpty ? "postgres" : path), tls: .disable)
        return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
    }

    private static func quietLogger() -> Logger {
        var logger = Logger(label: "test-postgres")
        logger.logLevel = .error
        return logger
    }
}
