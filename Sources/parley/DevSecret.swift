import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ParleyCore
import ParleyPostgres
import ParleyRealtime
import ParleyRedis
import ParleySQLite
import ParleyServer
import ServiceLifecycle

/// With `--dev`, a random secret is generated once and kept beside the database, so
/// tokens made by `parley token` keep working across restarts.
enum DevSecret {
    static func file(in folder: URL) -> URL { folder.appendingPathComponent("dev-secret") }

    static func loadOrCreate(in folder: URL) throws -> String {
        let url = file(in: folder)
        if let existing = try? String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
            existing.utf8.count >= TokenVerifier.minimumSecretBytes
        {
            return existing
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in String(format: "%02x", generator.next() as UInt8) }.joined()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try secret.write(to: url, atomically: true, encoding: .utf8)
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        return secret
    }

    static func load(in folder: URL) -> String? {
        try? String(contentsOf: file(in: folder), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The process's open-file limit, `nil` when unlimited or unknown.
func openFileLimit() -> Int? {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
    return Int(exactly: limit.rlim_cur)  // RLIM_INFINITY is UInt64.max: no Int
}

/// One server can hold many sockets; the soft open-file limit is often 1,024.
func raiseOpenFileLimit() {
    var limit = rlimit()
    if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max {
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }
}
