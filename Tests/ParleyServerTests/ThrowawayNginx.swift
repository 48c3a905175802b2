import Foundation
import ParleyTestSupport

/// nginx in front of Parley nodes, configured from `examples/cluster/nginx.conf` with the
/// test's ports. Stopped by its PID.
final class ThrowawayNginx: @unchecked Sendable {
    let port: Int
    private let process: SpawnedProcess
    private let folder: URL

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The example's two upstream ports (8081, 8082) become `upstreamPorts`.
    init(upstreamPorts: [Int]) throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/cluster/nginx.conf")
        var configuration = try String(contentsOf: example, encoding: .utf8)
        port = try LoopbackPort.free()
        configuration = configuration.replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(port)")
            .replacingOccurrences(of: "127.0.0.1:8081", with: "127.0.0.1:\(upstreamPorts[0])")
            .replacingOccurrences(of: "127.0.0.1:8082", with: "127.0.0.1:\(upstreamPorts[1])")
        folder = URL(fileURLWithPath: "/tmp/parley-nginx-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("temp"), withIntermediateDirectories: true)
        try configuration.write(to: folder.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        // `SpawnedProcess`, not Foundation's `Process`, whose `run()` crashed the test
        // process here in a fresh-clone CI run (see SpawnedProcess).
        process = try SpawnedProcess(
            executable: "/usr/sbin/nginx",
            arguments: ["-p", folder.path, "-c", folder.appendingPathComponent("nginx.conf").path, "-e", "stderr"],
            captureOutput: false)
    }

    deinit {
        if process.isRunning {
            process.signal(SIGTERM)
            process.waitForExit(timeout: 10)
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
