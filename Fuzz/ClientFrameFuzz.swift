// libFuzzer target: the WebSocket client frame decoder (`ClientFrame`), fed the way
// `RealtimeConnection` feeds it (a text frame's UTF-8 bytes), with the answer the server
// would send back. Built by scripts/fuzz.sh together with ParleyCore's sources.
import Foundation
import ParleyCore

/// The `id` alone, read the way the server reads it from a frame it cannot decode.
private struct FrameIDOnly: Decodable {
    var id: FrameID?
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClientFrame(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    // A WebSocket text frame is valid UTF-8 by the time the server sees it.
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    let data = Data(text.utf8)
    let frame: ClientFrame
    do {
        frame = try JSONDecoder().decode(ClientFrame.self, from: data)
    } catch {
        // The error answer echoes whatever id could be read; it must always encode, or
        // the client never learns why its frame was refused.
        let id = try? JSONDecoder().decode(FrameIDOnly.self, from: data).id
        let answer = ServerFrame.error(id: id, error: .init(code: "bad_frame", message: "\(error)"))
        precondition((try? JSONEncoder().encode(answer)) != nil, "error answer does not encode for \(text.debugDescription)")
        return 0
    }
    // Every frame the server accepts is answered with its id (ack, pong, error): the
    // answer must encode, and a frame must survive encoding and decoding unchanged,
    // since the client library sends frames this way.
    let answer = ServerFrame.pong(id: frame.id)
    precondition((try? JSONEncoder().encode(answer)) != nil, "answer does not encode for \(text.debugDescription)")
    guard let encoded = try? JSONEncoder().encode(frame) else {
        preconditionFailure("accepted frame does not encode: \(text.debugDescription)")
    }
    guard let decoded = try? JSONDecoder().decode(ClientFrame.self, from: encoded) else {
        preconditionFailure("re-encoded frame does not decode: \(String(decoding: encoded, as: UTF8.self))")
    }
    precondition(decoded == frame, "frame changed by a round trip: \(text.debugDescription)")
    return 0
}
