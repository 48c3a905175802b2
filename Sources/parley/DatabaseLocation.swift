import Foundation

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
