import Foundation

/// A PostgreSQL server of a test's own (a new cluster in a temporary folder, loopback,
/// trust authentication) that the test may stop and start again. Stopped by its PID.
final class ThrowawayPostgresServer: @unchecked Sendable {
    let port: Int
    let folder: URL
    private let binaries: URL

    var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    init() throws {
        let versions = try FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")
            .sorted { $0.compare($1, options: .numeric) == .orderedAscending }
        guard let newest = versions.last else { throw ServerProcessError.didNotStart("PostgreSQL is not installed") }
        binaries = URL(fileURLWithPath: "/usr/lib/postgresql/\(newest)/bin")
        port = try ServerSocketPicker.freePort()
        folder = URL(fileURLWithPath: "/tmp/parley-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if getuid() == 0 { try run("/bin/chown", ["postgres", folder.path], asPostgres: false) }
        try run(
            binaries.appendingPathComponent("initdb").path,
            ["-D", folder.appendingPathComponent("data").path, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        try start()
    }

    func start() throws {
        try run(
            binaries.appendingPathComponent("pg_ctl").path,
            [
                "-D", folder.appendingPathComponent("data").path, "-l", folder.appendingPathComponent("server.log").path,
                "-w", "start", "-o", "-p \(port) -c listen_addresses=127.0.0.1 -k \(folder.path)",
            ])
    }

    /// Stops the server (fast shutdown: sessions end at once) and waits until it is gone.
    func stop() {
        let pidFile = folder.appendingPathComponent("data/postmaster.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
            let pid = text.split(separator: "\n").first.flatMap({ Int32($0) })
        else { return }
        kill(pid, SIGINT)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, kill(pid, 0) == 0 { Thread.sleep(forTimeInterval: 0.05) }
    }

    /// Runs a command to its end. (posix_spawn and waitpid: Foundation's `Process` did not
    /// always notice a short-lived child's exit here.)
    private func run(_ executable: String, _ arguments: [String], asPostgres: Bool = true) throws {
        let argv = (asPostgres && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] : [executable])
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
            throw ServerProcessError.didNotStart("cannot start \(argv[0])")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else { throw ServerProcessError.didNotStart("\(executable) failed (status \(status))") }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }
}

/// nginx in front of Parley nodes, configured from `examples/cluster/nginx.conf` with the
/// test's ports. Stopped by its PID.
final class ThrowawayNginx: @unchecked Sendable {
    let port: Int
    private let process = Process()
    private let folder: URL

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The example's two upstream ports (8081, 8082) become `upstreamPorts`.
    init(upstreamPorts: [Int]) throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/cluster/nginx.conf")
        var configuration = try String(contentsOf: example, encoding: .utf8)
        port = try ServerSocketPicker.freePort()
        configuration = configuration.replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(port)")
            .replacingOccurrences(of: "127.0.0.1:8081", with: "127.0.0.1:\(upstreamPorts[0])")
            .replacingOccurrences(of: "127.0.0.1:8082", with: "127.0.0.1:\(upstreamPorts[1])")
        folder = URL(fileURLWithPath: "/tmp/parley-nginx-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("temp"), withIntermediateDirectories: true)
        try configuration.write(to: folder.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        process.arguments = ["-p", folder.path, "-c", folder.appendingPathComponent("nginx.conf").path, "-e", "stderr"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
