import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL database is: parsed from `postgres://user:password@host:port/database`
/// (`postgresql://` too). `?sslmode=require` asks for TLS (verified against the system's
/// roots); the default, `sslmode=disable`, suits a database on a private network.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String?
    public var requiresTLS: Bool

    public init?(_ text: String) {
        guard let components = URLComponents(string: text), components.scheme == "postgres" || components.scheme == "postgresql",
            let host = components.host, !host.isEmpty
        else { return nil }
        self.host = host
        port = components.port ?? 5432
        // URLComponents decodes percent escapes already (`p%25w` is the password `p%w`).
        username = components.user ?? "postgres"
        password = components.password
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? nil : path
        switch components.queryItems?.first(where: { $0.name == "sslmode" })?.value {
        case nil, "disable": requiresTLS = false
        case "require", "verify-full": requiresTLS = true
        default: return nil
        }
    }

    /// Without the password.
    public var description: String {
        "postgres://\(username)@\(host):\(port)/\(database ?? "")" + (requiresTLS ? "?sslmode=require" : "")
    }

    func tls() throws -> PostgresConnection.Configuration.TLS {
        requiresTLS ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable
    }

    /// Server-side limits on every session: a stuck statement, lock wait or abandoned
    /// transaction (say, a node cut off mid-batch while holding the position lock) ends
    /// instead of stalling every node's writes.
    static let sessionLimits = [
        ("statement_timeout", "10s"), ("lock_timeout", "10s"), ("idle_in_transaction_session_timeout", "10s"),
    ]

    func clientConfiguration() throws -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: requiresTLS ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.maximumConnections = 32
        configuration.options.connectTimeout = .seconds(3)
        configuration.options.additionalStartupParameters = Self.sessionLimits
        return configuration
    }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: try tls())
        configuration.options.connectTimeout = .seconds(3)
        configuration.options.additionalStartupParameters = Self.sessionLimits
        return configuration
    }
}
