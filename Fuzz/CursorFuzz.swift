// libFuzzer target: the opaque cursors clients hand back (`InboxCursor`, `ResumeCursor`,
// `SearchCursor`) and the RFC 3339 times of `from`/`to`: whatever a client sends, a parse
// either fails or gives a cursor that prints and parses back to itself.
import ParleyCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCursors(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let token = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)

    if let cursor = InboxCursor(token: token) {
        precondition(cursor.snapshot >= 0 && !cursor.conversationID.isEmpty, "inbox cursor out of range")
        precondition(InboxCursor(token: cursor.token) == cursor, "inbox cursor does not survive a round trip")
    }
    if let cursor = ResumeCursor(token: token) {
        precondition(cursor.position >= 0, "negative resume position")
        precondition(ResumeCursor(token: cursor.token) == cursor, "resume cursor does not survive a round trip")
    }
    if let cursor = SearchCursor(token: token) {
        precondition((0...SearchCursor.maxOffset).contains(cursor.offset), "search cursor offset out of range")
        precondition(SearchCursor(token: cursor.token) == cursor, "search cursor does not survive a round trip")
    }
    if let time = Timestamp(rfc3339: token) {
        // Times are printed back in every response that carries them.
        precondition(Timestamp(rfc3339: time.rfc3339) == time, "time does not survive a round trip: \(token)")
    }
    return 0
}
