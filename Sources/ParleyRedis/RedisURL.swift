import Foundation
import ParleyCore

/// Where Redis is and how to log in: `redis://[[user]:password@]host[:port][/db]`, or
/// `rediss://…` for TLS (port 6379 when absent, database 0).
///
/// A password (`redis://:pw@host`) is sent with `AUTH pw`, a user and password
/// (`redis://user:pw@host`, Redis 6 ACLs) with `AUTH user pw`; percent escapes are
/// decoded (`p%40ss` is `p@ss`). With `rediss://` the server's certificate is verified
/// against the system's roots, or only against `caFile` when set (`--redis-ca-file`,
/// for a private or self-signed certificate authority).
///
/// `description` never shows the password, so a `RedisURL` is safe to log.
public struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    /// The database selected with `SELECT` after connecting (pub/sub ignores it).
    public var database: Int
    /// `rediss://`: the connection is TLS.
    public var usesTLS: Bool
    /// PEM file of the certificate authorities trusted for `rediss://` instead of the
    /// system's roots.
    public var caFile: String?

    public init?(_ text: String) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "redis" || scheme == "rediss", let host = components.host, !host.isEmpty
        else { return nil }
        usesTLS = scheme == "rediss"
        // `[::1]` arrives with its brackets; the resolver wants the bare address.
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if let port = components.port {
            guard (1...65535).contains(port) else { return nil }
            self.port = port
        } else {
            port = 6379
        }
        // URLComponents decodes percent escapes in `user` and `password` already.
        username = components.user.flatMap { $0.isEmpty ? nil : $0 }
        password = components.password
        guard username == nil || password != nil else { return nil }  // `AUTH user` alone means nothing to Redis
        let path = components.path.drop { $0 == "/" }
        if path.isEmpty {
            database = 0
        } else {
            guard let database = Int(path), database >= 0 else { return nil }
            self.database = database
        }
        caFile = nil
    }

    public var description: String {
        let credentials: String
        switch (username, password) {
        case (let user?, _?): credentials = "\(user):\(URLRedaction.mask)@"
        case (nil, _?): credentials = ":\(URLRedaction.mask)@"
        default: credentials = ""
        }
        let hostText = host.contains(":") ? "[\(host)]" : host
        return "\(usesTLS ? "rediss" : "redis")://\(credentials)\(hostText):\(port)" + (database == 0 ? "" : "/\(database)")
    }
}
