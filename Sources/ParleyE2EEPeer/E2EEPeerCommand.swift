import ArgumentParser
import Foundation
import ParleyClient
import ParleyCore

/// `parley-e2ee-peer`: a TEST AND DEMO TOOL, not part of the server. One Swift device
/// (ParleyClient's `E2EESession`) that plays a participant of an end-to-end encrypted
/// conversation from the command line: the browser suite runs it as the seller who
/// answers a buyer writing from the web client (Tests/Browser/test_e2ee_done.py).
///
/// It registers its device (keys kept in `--identity` when given, so a later run is the
/// same device); with `--conversation` it then waits until it can open the
/// conversation's epoch keys and decrypt a message from someone else (a device added
/// after the conversation began gets the keys of the epoch a participant seals next),
/// prints every message as a JSON line, and sends `--reply` encrypted.
///
///     parley-e2ee-peer --url http://127.0.0.1:8080 --token "$TOKEN" --user casa-verde \
///         --device-id cli-1 --identity /tmp/cli-1.json --conversation c_123 --reply "Sí, mañana"
@main
struct E2EEPeerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley-e2ee-peer",
        abstract: "Test and demo tool: one Swift E2EE device that reads a conversation and answers it.")

    /// How often the epoch keys and messages are asked for again while waiting.
    static let pollInterval: Duration = .milliseconds(200)

    @Option(help: "The server's base URL.") var url: String
    @Option(help: "A bearer token for --user.") var token: String
    @Option(help: "The user this device belongs to (the token's subject).") var user: String
    @Option(name: .customLong("device-id"), help: "This device's id.") var deviceID: String
    @Option(help: "A file keeping this device's private keys: loaded when it exists, written otherwise.")
    var identity: String?
    @Option(help: "The conversation to read and answer; without it the device is only registered.")
    var conversation: String?
    @Option(help: "The text to send, encrypted, once the conversation could be read.") var reply: String?
    @Option(help: "Seconds to wait for the conversation's keys and a readable message (at most 600).")
    var timeout: Int = 60

    func validate() throws {
        guard (1...600).contains(timeout) else { throw ValidationError("--timeout: between 1 and 600 seconds") }
    }

    func run() async throws {
        do {
            let device = try loadIdentity()
            let session = E2EESession(userID: user, identity: device, client: ParleyRESTClient(baseURL: url, token: token))
            try await session.register()
            guard let conversation else {
                print(#"{"registered":"\#(deviceID)","safetyNumber":"\#(device.safetyNumber)"}"#)
                return
            }
            for message in try await waitForReadableMessages(session, conversation) { print(line(message).json) }
            if let reply {
                let sent = try await session.send(conversation, reply)
                print(
                    PeerLine(
                        messageId: sent.messageID, senderId: sent.senderID, seq: sent.seq, content: reply, error: nil, encrypted: true,
                        sent: true
                    ).json)
            }
        } catch let error as PeerTimeout {
            FileHandle.standardError.write(Data("parley-e2ee-peer: \(error.description)\n".utf8))
            throw ExitCode(1)
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("parley-e2ee-peer: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// The kept identity, or a new one (kept when `--identity` names a file).
    private func loadIdentity() throws -> DeviceIdentity {
        guard let identity else { return DeviceIdentity(deviceID: deviceID) }
        if FileManager.default.fileExists(atPath: identity) {
            let loaded = try DeviceIdentity.load(from: identity)
            guard loaded.deviceID == deviceID else {
                throw ValidationError("--identity \(identity) holds device \(loaded.deviceID), not \(deviceID)")
            }
            return loaded
        }
        let made = DeviceIdentity(deviceID: deviceID)
        try made.save(to: identity)
        return made
    }

    /// Polls until this device holds an epoch key and decrypts at least one encrypted
    /// message from another user; the page of messages then. Throws `PeerTimeout` after
    /// `timeout` seconds, saying what was last seen.
    private func waitForReadableMessages(_ session: E2EESession, _ conversationID: String) async throws -> [DecryptedMessage] {
        let deadline = ContinuousClock.now + .seconds(timeout)
        var lastSeen = "nothing yet"
        while true {
            do {
                let epochs = try await session.loadKeys(conversationID)
                if !epochs.isEmpty {
                    let messages = try await session.messages(conversationID)
                    let fromOthers = messages.filter { $0.message.senderID != user && $0.message.annotations.encrypted != nil }
                    if fromOthers.contains(where: { $0.content != nil }) { return messages }
                    lastSeen = "keys for epochs \(epochs), \(fromOthers.count) encrypted messages from others, none readable"
                } else {
                    lastSeen = "no epoch key sealed to device \(deviceID)"
                }
            } catch {
                lastSeen = "\(error)"
            }
            guard ContinuousClock.now < deadline else {
                throw PeerTimeout(description: "no readable message in conversation \(conversationID) after \(timeout) s (\(lastSeen))")
            }
            try await Task.sleep(for: Self.pollInterval)
        }
    }

    private func line(_ message: DecryptedMessage) -> PeerLine {
        var error: String?
        if case .failure(let failure) = message.result { error = failure.description }
        return PeerLine(
            messageId: message.message.messageID, senderId: message.message.senderID, seq: message.message.seq,
            content: message.content, error: error, encrypted: message.message.annotations.encrypted != nil)
    }
}
