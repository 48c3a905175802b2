import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, for tests that run servers (the `parley`
/// executable, the Python counterparts).
///
/// Not Foundation's `Process`: on Linux (Swift 6.3.1) its `run()` reads past a buffer
/// while it lists `/proc/self/fd` (swift-corelibs-foundation PR 5472) and now and then
/// crashes a test process that has many descriptors open — the suite's did.
public final class SpawnedProcess: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let pid: pid_t
    /// The read end of the child's stdout (and stderr, when merged), when captured.
    public let output: FileHandle?

    // Guarded by `lock`: the exit status once the child was reaped.
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `executable` with `arguments`. `environment` nil: this process's own.
    /// `captureOutput`: stdout into `output`; `mergeStandardError`: stderr too (otherwise
    /// stderr goes where this process's goes, where a test's output shows it).
    public init(
        executable: String, arguments: [String], environment: [String: String]? = nil, workingDirectory: String? = nil,
        captureOutput: Bool, mergeStandardError: Bool = false
    ) throws {
        var pipe: [Int32] = [-1, -1]
        if captureOutput {
            guard Glibc.pipe(&pipe) == 0 else { throw Failure(description: "pipe: \(String(cString: strerror(errno)))") }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if captureOutput {
            posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
            if mergeStandardError { posix_spawn_file_actions_adddup2(&actions, pipe[1], 2) }
            posix_spawn_file_actions_addclose(&actions, pipe[0])
            posix_spawn_file_actions_addclose(&actions, pipe[1])
        }
        // Nothing else of ours is inherited: a child holding a copy of another test's
        // listening socket or of another child's pipe keeps them open after their owners
        // close them. (Foundation's Process closes them too; glibc's closefrom action is
        // looked up at run time, as Swift does not see its _np declarations.)
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }
        // The child starts with no signal blocked and every signal at its default: a
        // thread of the test process (NIO's, dispatch's) may block SIGTERM or ignore
        // SIGPIPE, and a child inherits both.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // In another folder through coreutils' `env -C`, which execs the program in place
        // (same pid): glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift.
        let program = workingDirectory == nil ? executable : "/usr/bin/env"
        let argv = (workingDirectory.map { ["/usr/bin/env", "-C", $0, executable] } ?? [executable]) + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var spawned: pid_t = 0
        let result: Int32
        if let environment {
            var cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { for pointer in cEnvironment { free(pointer) } }
            result = posix_spawn(&spawned, program, &actions, &attributes, &cArguments, &cEnvironment)
        } else {
            result = posix_spawn(&spawned, program, &actions, &attributes, &cArguments, environ)
        }
        if captureOutput { close(pipe[1]) }
        guard result == 0 else {
            if captureOutput { close(pipe[0]) }
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        pid = spawned
        output = captureOutput ? FileHandle(fileDescriptor: pipe[0], closeOnDealloc: true) : nil
    }

    /// Whether the child has not exited yet (reaps it once it has).
    public var isRunning: Bool { exitStatus == nil }

    /// The child's exit status (a signal's number + 128 when a signal ended it), nil while
    /// it runs.
    public var exitStatus: Int32? {
        lock.withLock {
            if let status { return status }
            var raw: Int32 = 0
            guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
            let signal = raw & 0x7f
            status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
            return status
        }
    }

    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits at most `timeout` for the child to exit; its status, or nil when it still runs.
    @discardableResult
    public func waitForExit(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = exitStatus { return status }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return exitStatus
    }

    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            waitForExit(timeout: 10)
        }
    }
}
