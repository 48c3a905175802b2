import ParleyCore
import Testing

/// What coverage-guided fuzzing (scripts/fuzz.sh) found, kept as tests.
@Suite struct FuzzFindingsTests {
    /// Fuzz/CursorFuzz.swift: an inbox cursor whose bytes are not valid UTF-8 was repaired
    /// (U+FFFD) into a different cursor, one that did not survive printing and parsing
    /// again. A server only gives out valid UTF-8, so such a token is not a cursor.
    @Test func inboxCursorWithInvalidUTF8IsRefused() {
        // "12:1700:c" then the lone byte 0xA6.
        let hex = "31323a313730303a63" + "a6"
        #expect(InboxCursor(token: hex) == nil)
        let valid = InboxCursor(snapshot: 12, lastActivityAt: Timestamp(millisecondsSince1970: 1700), conversationID: "cé")
        #expect(InboxCursor(token: valid.token) == valid)
    }

    /// The input the fuzzer found: accepted before, it was repaired into a cursor whose own
    /// token (three bytes per repaired byte, over the 600-character limit) did not parse.
    /// Now it is not a cursor at all.
    @Test func inboxCursorFoundByTheFuzzerIsRefused() {
        let bytes: [UInt8] = Array("12:170000000:ca2".utf8) + Array(repeating: 0xA6, count: 150)
        let token = bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        #expect(InboxCursor(token: token) == nil)
    }
}
