import Crypto
import Foundation
import ParleyClient
import ParleyCore
import ParleyServer
import Synchronization
import Testing

/// Nothing readable at rest: the real `parley serve` (logging at trace level) relays an
/// encrypted exchange over REST and WebSocket; the plaintext is then nowhere in the SQLite
/// file, its write-ahead log, or the server's log — while the ciphertext is (so the test
/// looked where the messages are).
@Suite(.serialized) struct EncryptionAtRestTests {
    static let secret = TestServer.secret

    @Test func thePlaintextOfAnEncryptedExchangeIsNowhereOnDiskOrInTheLog() async throws {
        let folder = try makeTemporaryFolder("e2ee-at-rest")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("parley.sqlite").path
        let node = try ServerProcess(
            arguments: ["--jwt-secret", Self.secret, "--database", "sqlite://\(database)"], workingDirectory: folder,
            environment: ["PARLEY_LOG_LEVEL": "trace"])
        defer {
            node.kill(SIGKILL)
            _ = node.waitForExit(timeout: 10)
        }
        let port = try node.waitUntilListening()
        // Trace logging fills a pipe fast: read it all along, or the node blocks writing.
        let startLog = node.log()
        let output = LogDrain(node.process.output!)
        let base = "http://127.0.0.1:\(port)"
        let signer = try await TokenSigner(secret: Self.secret)
        let buyer = ParleyRESTClient(baseURL: base, token: try await signer.sign(userID: "buyer1", role: .buyer))
        let seller = ParleyRESTClient(baseURL: base, token: try await signer.sign(userID: "seller1", role: .seller))
        let buyerPhone = E2EETestDevice("buyer1", "phone")
        let sellerLaptop = E2EETestDevice("seller1", "laptop")
        #expect(try await buyerPhone.register(with: buyer).status == 201)
        #expect(try await sellerLaptop.register(with: seller).status == 201)
        let created = try await buyer.rawJSON(
            .POST, "/api/conversations",
            #"{"participants":[{"userId":"buyer1","role":"buyer"},{"userId":"seller1","role":"seller"}],"encrypted":true}"#)
        let id = try #require(created.jsonObject["conversationId"] as? String)
        let key = SymmetricKey(size: .bits256)
        let keySet = try await buyer.rawJSON(
            .POST, "/api/conversations/\(id)/keys",
            #"{"epoch":1,"senderDeviceId":"phone","sealed":[\#(try buyerPhone.sealedEntry(key, conversationID: id, epoch: 1)),\#(try sellerLaptop.sealedEntry(key, conversationID: id, epoch: 1))]}"#
        )
        #expect(keySet.status == 201)

        // Distinctive words (and a phone number, which masking would otherwise keep as originalContent).
        let secrets = ["Zanahoria-Quetzal-5821 envío urgente", "llámame al 612 998 877, Murciélago-Xilófono"]
        let first = try buyerPhone.encrypt(
            secrets[0], key: key, conversationID: id, epoch: 1, clientMessageID: "rest-1", franking: [UInt8](repeating: 3, count: 32))
        let sent = try await buyer.rawJSON(.POST, "/api/conversations/\(id)/messages", E2EETestDevice.sendJSON(first, clientMessageID: "rest-1"))
        #expect(sent.status == 201, "\(sent.bodyText)")
        let second = try sellerLaptop.encrypt(secrets[1], key: key, conversationID: id, epoch: 1, clientMessageID: "ws-1")
        let token = try await signer.sign(userID: "seller1", role: .seller)
        let ack = try await RealtimeSession.open(baseURL: base, credentials: .token(token)) { session in
            try await session.sendRaw(
                #"{"type":"message.send","id":1,"conversationId":"\#(id)","encrypted":\#(second.envelopeJSON),"clientMessageId":"ws-1"}"#)
            return try await session.next(timeout: .seconds(10), where: { if case .ack = $0 { return true } else { return false } })
        }
        guard case .ack = ack.value else {
            Issue.record("no ack: \(ack.value)")
            return
        }
        // The recipient reads it back (the server logs reads too).
        let page = try await seller.raw(.GET, "/api/conversations/\(id)/messages")
        #expect((page.jsonObject["messages"] as? [Any])?.count == 2)

        // While the node runs, the write-ahead log holds the recent writes.
        let whileRunning = try Self.filesBytes(database)
        #expect(whileRunning.range(of: Data(first.ciphertext.utf8)) != nil || whileRunning.range(of: Data(second.ciphertext.utf8)) != nil)
        node.kill(SIGTERM)
        #expect(node.waitForExit(timeout: 30) != nil)
        let afterStop = try Self.filesBytes(database)
        let log = startLog + output.waitForEnd()
        #expect(log.contains("parley listening"), "the log was read")
        for secret in secrets {
            for word in secret.split(separator: " ").map(String.init) where word.count >= 6 {
                let bytes = Data(word.utf8)
                #expect(whileRunning.range(of: bytes) == nil, "\(word) in the database files while running")
                #expect(afterStop.range(of: bytes) == nil, "\(word) in the database files after stopping")
                #expect(!log.contains(word), "\(word) in the server's log")
            }
        }
        #expect(whileRunning.range(of: Data("612 998 877".utf8)) == nil && !log.contains("612 998 877"))
    }

    /// The database file and its write-ahead log, concatenated.
    static func filesBytes(_ database: String) throws -> Data {
        var bytes = Data()
        for path in [database, database + "-wal"] where FileManager.default.fileExists(atPath: path) {
            bytes += try Data(contentsOf: URL(fileURLWithPath: path))
        }
        return bytes
    }
}

/// Reads a child's output on a thread of its own until it ends.
final class LogDrain: Sendable {
    private let text = Mutex("")
    private let ended = Mutex(false)

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                text.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
            ended.withLock { $0 = true }
        }
        thread.start()
    }

    /// Everything read, once the output ended (at most 10 s after the child exited).
    func waitForEnd() -> String {
        let deadline = Date().addingTimeInterval(10)
        while !ended.withLock({ $0 }) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return text.withLock { $0 }
    }
}
