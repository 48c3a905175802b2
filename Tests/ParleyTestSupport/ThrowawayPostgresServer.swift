import Foundation

/// A PostgreSQL server of a test's own — a new cluster in a temporary folder, loopback
/// only, trust authentication — that the test may stop and start again (the shared test
/// server of `ThrowawayPostgres` must stay up). Stopped by its PID when released.
///
/// scripts/test.sh starts the shared server the same way (initdb, `pg_ctl -w start`),
/// in shell, before any test runs.
public final class ThrowawayPostgresServer: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let port: Int
    public let folder: URL
    private let binaries: URL

    /// The server's `postgres` database (`ThrowawayPostgres.withDatabase(on:)` makes
    /// fresh ones on it).
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    /// Creates the cluster with the newest installed PostgreSQL and starts it.
    public init() throws {
        let versions = try FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")
            .sorted { $0.compare($1, options: .numeric) == .orderedAscending }
        guard let newest = versions.last else { throw Failure(description: "PostgreSQL is not installed") }
        binaries = URL(fileURLWithPath: "/usr/lib/postgresql/\(newest)/bin")
        port = try LoopbackPort.free()
        folder = URL(fileURLWithPath: "/tmp/parley-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // initdb refuses to run as root: as root, the cluster belongs to `postgres`.
        if getuid() == 0 { try run("/bin/chown", ["postgres", folder.path], asPostgres: false) }
        try run(
            binaries.appendingPathComponent("initdb").path,
            ["-D", folder.appendingPathComponent("data").path, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        try start()
    }

    /// Starts the server and waits until it accepts connections.
    public func start() throws {
        try run(
            binaries.appendingPathComponent("pg_ctl").path,
            [
                "-D", folder.appendingPathComponent("data").path, "-l", folder.appendingPathComponent("server.log").path,
                "-w", "start", "-o", "-p \(port) -c listen_addresses=127.0.0.1 -k \(folder.path)",
            ])
    }

    /// Stops the server (fast shutdown: sessions end at once) and waits until it is gone.
    public func stop() {
        let pidFile = folder.appendingPathComponent("data/postmaster.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
            let pid = text.split(separator: "\n").first.flatMap({ Int32($0) })
        else { return }
        kill(pid, SIGINT)
        let deadline = Date().addingTimeInterval(Self.stopTimeoutSeconds)
        while Date() < deadline, kill(pid, 0) == 0 { Thread.sleep(forTimeInterval: 0.05) }
    }

    /// A fast shutdown takes well under a second; past this the test goes on regardless.
    static let stopTimeoutSeconds: TimeInterval = 30

    /// Runs a command to its end. (posix_spawn and waitpid: Foundation's `Process` did not
    /// always notice a short-lived child's exit here.)
    private func run(_ executable: String, _ arguments: [String], asPostgres: Bool = true) throws {
        let argv =
            (asPostgres && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] : [executable])
            + arguments
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 2, "/dev/null", O_WRONLY, 0)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &fileActions, nil, &cArguments, environ) == 0 else {
            throw Failure(description: "cannot start \(argv[0])")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else { throw Failure(description: "\(executable) failed (status \(status))") }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }
}
