import Dispatch
import Foundation
import ParleyClient
import ParleyCore
import ParleyServer

/// What the WebSocket benches share: minting tokens, creating threads, stamping
/// messages with their send time.
struct RealtimeBenchSupport {
    let target: BenchTarget
    let signer: TokenSigner
    /// Distinguishes this run's users and orders from earlier runs on the same database.
    let runID = String(Identifier.make(prefix: "r").suffix(8))

    init(target: BenchTarget) async throws {
        self.target = target
        signer = try await TokenSigner(secret: try BenchSecret.resolve(target.jwtSecret))
    }

    func token(_ userID: String, _ role: Role) async throws -> String {
        try await signer.sign(userID: userID, role: role, timeToLive: 24 * 3600)
    }

    /// Creates `count` buyer–seller threads, `workers` at a time; returns their ids.
    func createPairs(_ count: Int, workers: Int = 32) async throws -> [String] {
        let service = ParleyRESTClient(baseURL: target.url, token: try await token("bench-service", .service))
        let runID = runID
        return try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var ids = [String](repeating: "", count: count)
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask {
                    let view = try await service.createConversation(
                        .init(
                            participants: [
                                .init(userId: "b-\(runID)-\(index)", role: .buyer),
                                .init(userId: "s-\(runID)-\(index)", role: .seller),
                            ],
                            orderId: "bench-\(runID)-\(index)"))
                    return (index, view.conversation.conversationID)
                }
            }
            for _ in 0..<min(workers, count) { add() }
            while let (index, id) = try await group.next() {
                ids[index] = id
                if next < count { add() }
            }
            return ids
        }
    }

    /// Message content carrying the moment it was sent (monotonic, this process).
    static func stampedContent(padding: Int) -> String {
        "t=\(DispatchTime.now().uptimeNanoseconds) " + String(repeating: "x", count: max(0, padding))
    }

    /// How long ago a stamped message was sent.
    static func age(of content: String) -> Duration? {
        guard content.hasPrefix("t="), let end = content.firstIndex(of: " "),
            let sent = UInt64(content[content.index(content.startIndex, offsetBy: 2)..<end])
        else { return nil }
        let now = DispatchTime.now().uptimeNanoseconds
        return .nanoseconds(Int64(now > sent ? now - sent : 0))
    }

    /// Resident memory of a process, in KiB (from /proc).
    static func residentKiB(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }
}
