import Foundation
import NIOCore
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL database is: parsed from `postgres://user:password@host:port/database`
/// (`postgresql://` too). `?sslmode=require` asks for TLS (verified against the system's
/// roots); the default, `sslmode=disable`, suits a database on a private network.
/// `?connect_timeout=SECONDS` (libpq's name, 1–600, default 3) bounds opening a
/// connection and a read's wait for the database before the request gets a 503.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String?
    public var requiresTLS: Bool
    /// How long opening a connection, and a read as a whole, may take.
    public var connectTimeout: Duration = .seconds(3)

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
        if let text = components.queryItems?.first(where: { $0.name == "connect_timeout" })?.value {
            guard let seconds = Int(text), (1...600).contains(seconds) else { return nil }
            connectTimeout = .seconds(seconds)
        }
    }

    /// Without the password.
    public var description: String {
        var query: [String] = []
        if requiresTLS { query.append("sslmode=require") }
        if connectTimeout != .seconds(3) { query.append("connect_timeout=\(connectTimeout.components.seconds)") }
        return "postgres://\(username)@\(host):\(port)/\(database ?? "")" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
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
        configuration.options.connectTimeout = connectTimeout
        configuration.options.additionalStartupParameters = Self.sessionLimits
        return configuration
    }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: try tls())
        configuration.options.connectTimeout = TimeAmount(connectTimeout)
        configuration.options.additionalStartupParameters = Self.sessionLimits
        return configuration
    }
}
