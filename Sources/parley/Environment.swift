import Foundation

/// Reads `PARLEY_*` variables; an option given on the command line wins over its variable.
enum Environment {
    static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}

/// Where the embedded database lives, parsed from `--database`.
enum DatabaseLocation: Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    static let defaultURL = "sqlite://./parley-data/parley.sqlite"

    init(url: String) throws {
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw ValidationErrorText("--database: sqlite:// needs a file path") }
            self = .sqlite(path: path)
        } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(url: url)
        } else {
            throw ValidationErrorText("--database: expected sqlite://PATH or postgres://user:pass@host:port/db, got \(url)")
        }
    }
}

struct ValidationErrorText: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
