import AsyncHTTPClient
import Foundation
import NIOCore

/// A Python test counterpart under Tests/Notify (`push_service.py`, `webhook_receiver.py`)
/// run as a child process on a loopback port: independent implementations of the
/// protocols Parley speaks to the outside (Web Push, Standard Webhooks), with a small JSON
/// interface to read what they received and to choose how they answer.
///
/// The Python is the virtual environment's of scripts/notify-venv.sh, named by
/// `PARLEY_TEST_NOTIFY_PYTHON`; without it the tests fail and say how to make it, rather
/// than passing without having run (scripts/test.sh makes it and exports the variable).
///
/// ```swift
/// let service = try await PythonCounterpart.pushService()
/// defer { service.stop() }
/// let subscription = try await service.getJSON("/subscription")
/// ```
public final class PythonCounterpart: @unchecked Sendable {
    public static let pythonVariable = "PARLEY_TEST_NOTIFY_PYTHON"
    /// How long a script may take to print its port (imports of cryptography take ~0.3 s).
    public static let startTimeout: Duration = .seconds(20)
    /// Every request to a counterpart's control interface is answered at once.
    static let requestTimeout: TimeAmount = .seconds(10)

    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The loopback port the script listens on.
    public let port: Int
    /// `http://127.0.0.1:<port>`.
    public var origin: String { "http://127.0.0.1:\(port)" }
    /// The child's process id (to stop it, or kill it to test a vanished receiver).
    public let processID: Int32

    // Guarded by `lock`: the process, until stopped.
    private let lock = NSLock()
    private var process: SpawnedProcess?

    private init(process: SpawnedProcess, port: Int) {
        self.process = process
        self.port = port
        self.processID = process.pid
    }

    deinit { stop() }

    /// Starts Tests/Notify/push_service.py: a push service with one subscription ready
    /// (`GET /subscription`).
    public static func pushService() async throws -> PythonCounterpart {
        try await start(script: "push_service.py", arguments: [])
    }

    /// Starts Tests/Notify/webhook_receiver.py, verifying with `secrets` (more can be set
    /// later with `POST /control {"secrets": [...]}`).
    public static func webhookReceiver(secrets: [String] = []) async throws -> PythonCounterpart {
        try await start(script: "webhook_receiver.py", arguments: secrets)
    }

    /// The venv's python, or `Unavailable` saying how to make it.
    public static func python() throws -> String {
        guard let python = ProcessInfo.processInfo.environment[pythonVariable], !python.isEmpty else {
            throw Unavailable(
                description: "\(pythonVariable) is not set: run scripts/notify-venv.sh and export "
                    + "\(pythonVariable)=<the path it prints> (scripts/test.sh does both)")
        }
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Unavailable(description: "\(pythonVariable)=\(python) is not an executable: run scripts/notify-venv.sh again")
        }
        return python
    }

    /// Tests/Notify/`name` in this checkout.
    public static func scriptPath(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Notify").appendingPathComponent(name).path
    }

    /// Starts Tests/Notify/`script` with `arguments` and waits for the port it prints.
    public static func start(script: String, arguments: [String]) async throws -> PythonCounterpart {
        // Tracebacks (stderr) go to the test's own output, where they are seen.
        let process = try SpawnedProcess(
            executable: try python(), arguments: ["-u", scriptPath(script)] + arguments, captureOutput: true)
        let pid = process.pid
        // A blocking read, off the cooperative pool; if the script never prints, the
        // deadline kills it, which ends the read.
        let killer = Task {
            try await Task.sleep(for: startTimeout)
            kill(pid, SIGKILL)
        }
        defer { killer.cancel() }
        let handle = process.output!
        let line = try await offThePool { () -> String in
            var bytes: [UInt8] = []
            while true {
                let chunk = handle.readData(ofLength: 1)
                guard let byte = chunk.first, byte != UInt8(ascii: "\n") else { break }
                bytes.append(byte)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let port = Int(line.trimmingCharacters(in: .whitespaces)), port > 0 else {
            process.signal(SIGKILL)
            process.waitForExit(timeout: 10)
            throw Unavailable(description: "\(script) did not print its port (got \"\(line)\"); see its error above")
        }
        return PythonCounterpart(process: process, port: port)
    }

    /// Stops the script and waits for it. Safe to call twice.
    ///
    /// SIGKILL, not SIGTERM: a child started from a thread of the test process (a NIO or
    /// dispatch thread) inherits that thread's signal mask, in which SIGTERM is blocked, so
    /// a SIGTERM would wait forever. The scripts keep nothing that needs a clean exit.
    public func stop() {
        let process: SpawnedProcess? = lock.withLock {
            defer { self.process = nil }
            return self.process
        }
        guard let process, process.isRunning else { return }
        process.signal(SIGKILL)
        process.waitForExit(timeout: 10)
    }

    /// `GET path`: the answer's status and body.
    public func get(_ path: String) async throws -> (status: Int, body: Data) {
        try await request(path, body: nil)
    }

    /// `GET path`, decoded as JSON into a dictionary.
    public func getJSON(_ path: String) async throws -> [String: Any] {
        let (status, body) = try await get(path)
        guard status == 200, let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw Unavailable(description: "GET \(path) answered \(status): \(String(decoding: body, as: UTF8.self))")
        }
        return object
    }

    /// `GET path`, decoded as JSON into `type`.
    public func getJSON<Value: Decodable>(_ path: String, as type: Value.Type) async throws -> Value {
        let (status, body) = try await get(path)
        guard status == 200 else { throw Unavailable(description: "GET \(path) answered \(status)") }
        return try JSONDecoder().decode(type, from: body)
    }

    /// `POST path` with `json` (any `JSONSerialization` value) as its body.
    @discardableResult
    public func postJSON(_ path: String, _ json: Any) async throws -> (status: Int, body: Data) {
        try await request(path, body: try JSONSerialization.data(withJSONObject: json))
    }

    /// A `POST` with `body`, a `GET` without.
    private func request(_ path: String, body: Data?) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: origin + path)
        if let body {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: Self.requestTimeout)
        let collected = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), Data(collected.readableBytesView))
    }
}
