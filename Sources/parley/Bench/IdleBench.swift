import ArgumentParser
import Foundation
import ParleyClient
import ParleyCore

/// C authenticated idle connections, spread over child processes (one process holds
/// at most ~19.9k sockets here); reports the connect rate and the server's memory per
/// connection.
struct IdleBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle", abstract: "Idle authenticated connections: connect rate and server RSS per connection.")

    @OptionGroup var target: BenchTarget

    @Option(help: "Connections in all.")
    var connections = 10_000

    @Option(help: "Processes to spread them over.")
    var processes = 2

    @Option(help: "PID of the server, to read its resident memory.")
    var serverPID: Int32

    @Option(help: "Seconds to hold the connections open once all are up.")
    var hold = 5

    @Option(help: "Connections opened at once per process.")
    var concurrency = 64

    /// At most the node's per-user limit (`ConnectionLimits.defaultPerUser`): past it
    /// the server refuses the connection. One per user is what a node mostly holds.
    @Option(help: "Connections of each bench user (1–20): the node holds at most 20 per user.")
    var connectionsPerUser = 1

    @Option(help: "Internal: run as one child process holding this many connections.")
    var child: Int?

    func run() async throws {
        raiseOpenFileLimit()
        if let child {
            try await runChild(child)
            return
        }
        guard (1...100_000).contains(connections), (1...16).contains(processes), (1...600).contains(hold),
            (1...20).contains(connectionsPerUser)
        else {
            throw ValidationError("connections 1–100000, processes 1–16, hold 1–600, connections-per-user 1–20")
        }
        guard let before = RealtimeBenchSupport.residentKiB(of: serverPID) else {
            throw ValidationError("--server-pid \(serverPID): no such process")
        }
        print("idle bench against \(target.url): \(connections) connections over \(processes) processes")
        let start = ContinuousClock.now
        var children: [(process: Process, output: Pipe)] = []
        let perProcess = connections / processes
        for index in 0..<processes {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            let count = index == processes - 1 ? connections - perProcess * (processes - 1) : perProcess
            process.arguments =
                [
                    "bench", "idle", "--url", target.url, "--server-pid", String(serverPID), "--hold", String(hold),
                    "--concurrency", String(concurrency), "--connections-per-user", String(connectionsPerUser),
                    "--child", String(count),
                ]
                + (target.jwtSecret.map { ["--jwt-secret", $0] } ?? [])
            // One pipe per child: Foundation closes the parent's copy of its write end.
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            children.append((process, output))
        }
        // Each child prints "ready N" once its connections are open.
        var opened = 0
        for child in children {
            var buffer = ""
            while !buffer.contains("\n") {
                let data = child.output.fileHandleForReading.availableData
                if data.isEmpty { break }
                buffer += String(decoding: data, as: UTF8.self)
            }
            if let line = buffer.split(separator: "\n").first, line.hasPrefix("ready "), let count = Int(line.dropFirst(6)) {
                opened += count
            }
        }
        let elapsed = (ContinuousClock.now - start).seconds
        try await Task.sleep(for: .seconds(1))
        let during = RealtimeBenchSupport.residentKiB(of: serverPID) ?? before
        for child in children { child.process.waitUntilExit() }
        let perConnection = opened > 0 ? Double(during - before) / Double(opened) : 0
        print(
            String(
                format: "opened %d of %d in %.2f s = %.0f connections/s; server RSS %d KiB before, %d KiB with them open: %.1f KiB per connection",
                opened, connections, elapsed, Double(opened) / elapsed, before, during, perConnection))
    }

    private func runChild(_ count: Int) async throws {
        let support = try await RealtimeBenchSupport(target: target)
        let connectionsPerUser = connectionsPerUser
        let opened = ConnectedCounter()
        let failed = ConnectedCounter()
        let release = Gate()
        let deadline = ContinuousClock.now + .seconds(300)
        await withTaskGroup(of: Void.self) { group in
            var started = 0
            func openOne() {
                // The run id is this process's own: users never repeat across children.
                let userID = "idle-\(support.runID)-\(started / connectionsPerUser)"
                started += 1
                group.addTask {
                    do {
                        let token = try await support.token(userID, .buyer)
                        _ = try await RealtimeSession.open(baseURL: support.target.url, credentials: .token(token)) { session in
                            try await session.send(.ping(id: nil))
                            _ = try await session.receive()
                            opened.increment()
                            await release.wait()
                        }
                    } catch {
                        failed.increment()
                    }
                }
            }
            // Open `concurrency` at a time: each waits for its pong before the next starts.
            group.addTask {
                while opened.value + failed.value < count, ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(20))
                }
                if failed.value > 0 { FileHandle.standardError.write(Data("  \(failed.value) connections failed\n".utf8)) }
                FileHandle.standardOutput.write(Data("ready \(opened.value)\n".utf8))
                try? await Task.sleep(for: .seconds(hold))
                release.open()
            }
            for _ in 0..<min(concurrency, count) { openOne() }
            while started < count {
                if opened.value + failed.value + concurrency > started {
                    openOne()
                } else {
                    try? await Task.sleep(for: .milliseconds(2))
                }
            }
        }
    }
}
