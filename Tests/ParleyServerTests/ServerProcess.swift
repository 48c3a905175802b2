import Foundation
import ParleyTestSupport

/// The real `parley` executable, started as a child process on a free loopback port
/// (with `posix_spawn`: see `SpawnedProcess`). Stopped by its PID only.
final class ServerProcess: @unchecked Sendable {
    let process: SpawnedProcess
    private(set) var port = 0
    private var logText = ""

    /// `.build/debug/parley`, beside the test bundle.
    static var executable: URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = testBinary.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("parley")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/parley")
    }

    init(arguments: [String], workingDirectory: URL, environment: [String: String] = [:]) throws {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process = try SpawnedProcess(
            executable: Self.executable.path, arguments: ["serve", "--port", "0"] + arguments, environment: env,
            workingDirectory: workingDirectory.path, captureOutput: true, mergeStandardError: true)
    }

    /// The child's process id.
    var processIdentifier: Int32 { process.pid }

    /// Waits for the "listening on" line and reads the port from it.
    func waitUntilListening(timeout: TimeInterval = 30) throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        let handle = process.output!
        while Date() < deadline {
            let data = handle.availableData
            if data.isEmpty {
                if !process.isRunning { break }
                continue
            }
            logText += String(decoding: data, as: UTF8.self)
            if let match = logText.firstMatch(of: /parley listening on http:\/\/127\.0\.0\.1:(\d+)/), let port = Int(match.1) {
                self.port = port
                return port
            }
        }
        throw ServerProcessError.didNotStart(logText)
    }

    /// Everything the process printed so far (after it has exited, everything).
    func log() -> String {
        if !process.isRunning, let output = process.output {
            logText += String(decoding: output.readDataToEndOfFile(), as: UTF8.self)
        }
        return logText
    }

    func kill(_ signal: Int32) {
        process.signal(signal)
    }

    /// Waits for exit; returns the status, or nil on timeout.
    func waitForExit(timeout: TimeInterval = 30) -> Int32? {
        process.waitForExit(timeout: timeout)
    }
}

enum ServerProcessError: Error {
    case didNotStart(String)
}
