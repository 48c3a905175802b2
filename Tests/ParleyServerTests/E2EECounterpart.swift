import Foundation
import ParleyClient
import ParleyCore
import ParleyTestSupport
import Testing

/// Tests/E2EE/counterpart.py, the independent Python implementation of the contract's
/// end-to-end encryption, run for one test: a JSON operation per request (see the
/// script's docstring), a cryptographic refusal answered 422.
struct E2EECounterpart {
    struct Refusal: Error, CustomStringConvertible {
        let status: Int
        let description: String
    }

    let process: PythonCounterpart

    /// Starts the script (Tests/E2EE beside Tests/Notify, where PythonCounterpart looks).
    static func start() async throws -> E2EECounterpart {
        E2EECounterpart(process: try await PythonCounterpart.start(script: "../E2EE/counterpart.py", arguments: []))
    }

    func stop() { process.stop() }

    /// `operation` with `body`: the answer's JSON on 200, else `Refusal` with the script's reason.
    @discardableResult
    func call(_ operation: String, _ body: [String: Any]) async throws -> [String: Any] {
        let (status, data) = try await process.postJSON(operation, body)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        guard status == 200 else { throw Refusal(status: status, description: "\(operation): \(status) \(object["error"] ?? "")") }
        return object
    }

    /// Whether `operation` is refused as a cryptographic failure (422), not a malformed request.
    func refuses(_ operation: String, _ body: [String: Any]) async throws -> Bool {
        do {
            try await call(operation, body)
            return false
        } catch let refusal as Refusal {
            #expect(refusal.status == 422, "\(refusal)")
            return refusal.status == 422
        }
    }

    /// A new device in the script: its record as a server would list it.
    func device(_ deviceID: String) async throws -> (record: DeviceBody, safetyNumber: String) {
        let answer = try await call("/device", ["deviceId": deviceID])
        let record = try JSONDecoder().decode(DeviceBody.self, from: JSONSerialization.data(withJSONObject: answer))
        return (record, try #require(answer["safetyNumber"] as? String))
    }

    /// An envelope as JSON for the script, and back.
    static func json(_ envelope: EncryptedEnvelope) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(envelope)) as? [String: Any])
    }

    static func envelope(_ json: Any?) throws -> EncryptedEnvelope {
        try JSONDecoder().decode(EncryptedEnvelope.self, from: JSONSerialization.data(withJSONObject: try #require(json)))
    }
}

/// Byte-level tampering for the refusal tests.
enum Tamper {
    /// `text` (unpadded base64url) with one bit of byte `index` flipped (negative: from the end).
    static func flip(_ text: String, byte index: Int = 0) throws -> String {
        var bytes = try #require(Data(base64URLEncoded: text))
        let position = index >= 0 ? index : bytes.count + index
        bytes[bytes.startIndex + position] ^= 0x01
        return bytes.base64URLEncodedString()
    }

    static func flip(_ data: Data, byte index: Int) -> Data {
        var bytes = data
        let position = index >= 0 ? index : bytes.count + index
        bytes[bytes.startIndex + position] ^= 0x01
        return bytes
    }
}
