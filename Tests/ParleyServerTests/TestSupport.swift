import Foundation
import ParleyClient
import ParleyCore
import Synchronization

/// A wall clock a test moves by hand.
final class ManualClock: WallClock {
    private let milliseconds = Mutex<Int64>(1_795_515_330_000)

    func now() -> Timestamp { Timestamp(millisecondsSince1970: milliseconds.withLock { $0 }) }

    func advance(bySeconds seconds: Int64) { milliseconds.withLock { $0 += seconds * 1000 } }
}

/// Starts as soon as an event is needed in a test and says which.
extension ServerFrame {
    var event: ServerEvent? {
        if case .event(let event) = self { return event }
        return nil
    }

    var newMessage: Message? {
        if case .event(.messageNew(let message, _)) = self { return message }
        return nil
    }

    var cursor: String? {
        if case .event(.messageNew(_, let cursor)) = self { return cursor.token }
        return nil
    }

    var isResumed: Bool {
        if case .resumed = self { return true }
        return false
    }

    var errorCode: String? {
        if case .error(_, let error) = self { return error.code }
        return nil
    }

    func isPresence(of userID: String, _ state: PresenceState) -> Bool {
        if case .event(.presence(let subject, let presenceState, _)) = self { return subject == userID && presenceState == state }
        return false
    }
}

/// A flag two tasks of a test share.
final class Signal: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() { (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1)) }

    func fire() { continuation.yield() }

    func wait() async {
        var iterator = stream.makeAsyncIterator()
        _ = await iterator.next()
    }
}

/// A value several tasks of a test share.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
}

/// A new, empty folder under the system's temporary folder, named for the test; the test
/// removes it (`defer`).
func makeTemporaryFolder(_ name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}
