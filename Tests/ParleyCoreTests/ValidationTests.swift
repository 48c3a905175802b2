import ParleyCore
import Testing

@Suite struct ValidationTests {
    @Test func contentMustBeNonBlankAndAtMost16KiB() throws {
        try Validation.content("hola")
        try Validation.content(String(repeating: "a", count: Limits.maxContentBytes))
        #expect(throws: ParleyError.tooLarge(field: "content", limit: 16_384)) {
            try Validation.content(String(repeating: "a", count: Limits.maxContentBytes + 1))
        }
        // Multi-byte characters count in bytes: 8,193 two-byte characters are over.
        #expect(throws: ParleyError.self) { try Validation.content(String(repeating: "ñ", count: 8_193)) }
        #expect(throws: ParleyError.self) { try Validation.content("") }
        #expect(throws: ParleyError.self) { try Validation.content(" \n\t\u{3000}") }
    }

    @Test func labelsAreTrimmedDeduplicatedAndBounded() throws {
        #expect(try Validation.labels([" envio ", "envio", "urgente"]) == ["envio", "urgente"])
        #expect(throws: ParleyError.self) { try Validation.labels([""]) }
        #expect(throws: ParleyError.self) { try Validation.labels((0...Limits.maxLabels).map { "l\($0)" }) }
        #expect(throws: ParleyError.self) { try Validation.labels([String(repeating: "x", count: 65)]) }
    }

    @Test func idsLabelsAndSubjectsAreMeasuredInBytes() throws {
        let oneHeavyCharacter = "a" + String(repeating: "\u{301}", count: 100)  // 1 character, 201 bytes
        #expect(throws: ParleyError.invalid(field: "userId", reason: "longer than 128 bytes of UTF-8")) {
            try Validation.userID(oneHeavyCharacter, field: "userId")
        }
        #expect(throws: ParleyError.self) { try Validation.externalID(oneHeavyCharacter, field: "orderId") }
        #expect(throws: ParleyError.self) { try Validation.labels([oneHeavyCharacter]) }
        #expect(throws: ParleyError.self) { try Validation.subject(String(repeating: oneHeavyCharacter, count: 3)) }
        try Validation.userID(String(repeating: "ñ", count: 64), field: "userId")  // 128 bytes
        #expect(throws: ParleyError.self) { try Validation.userID(String(repeating: "ñ", count: 64) + "a", field: "userId") }
        try Validation.subject(String(repeating: "ñ", count: 256))  // 512 bytes
        #expect(throws: ParleyError.self) { try Validation.subject(String(repeating: "ñ", count: 256) + "a") }
        // Labels that differ only in normalisation are two labels, as the stores see them.
        #expect(try Validation.labels(["envi\u{301}o", "env\u{ED}o"]).count == 2)
    }

    @Test func pageLimitsDefaultAndRefuseOutOfRange() throws {
        #expect(try Validation.pageLimit(nil, default: 50, maximum: 200) == 50)
        #expect(try Validation.pageLimit(200, default: 50, maximum: 200) == 200)
        #expect(throws: ParleyError.invalid(field: "limit", reason: "must be between 1 and 200")) {
            try Validation.pageLimit(201, default: 50, maximum: 200)
        }
        #expect(throws: ParleyError.self) { try Validation.pageLimit(0, default: 50, maximum: 200) }
    }

    @Test func userIDsAreOneTo128CharactersWithoutControlCharacters() throws {
        try Validation.userID("u1", field: "userId")
        #expect(throws: ParleyError.self) { try Validation.userID("", field: "userId") }
        #expect(throws: ParleyError.self) { try Validation.userID(String(repeating: "u", count: 129), field: "userId") }
        #expect(throws: ParleyError.self) { try Validation.userID("a\u{1F}b", field: "userId") }
    }

    @Test func cursorsRoundTripAndRefuseForgeries() {
        let cursor = InboxCursor(snapshot: 42, lastActivityAt: Timestamp(millisecondsSince1970: 1_795_515_330_123), conversationID: "c_x:y")
        #expect(InboxCursor(token: cursor.token) == cursor)
        #expect(InboxCursor(token: "zz") == nil)
        #expect(InboxCursor(token: "") == nil)
        #expect(ResumeCursor(token: ResumeCursor(position: 12345).token) == ResumeCursor(position: 12345))
        #expect(ResumeCursor(token: "bogus") == nil)
    }

    @Test func threadKeysIgnoreParticipantOrderAndPreferTheOrder() {
        #expect(
            ThreadKey.make(participantIDs: ["a", "b"], productID: "p", orderID: nil)
                == ThreadKey.make(participantIDs: ["b", "a"], productID: "p", orderID: nil))
        #expect(
            ThreadKey.make(participantIDs: ["a", "b"], productID: "p", orderID: "o")
                == ThreadKey.make(participantIDs: ["a", "b"], productID: "q", orderID: "o"))
        #expect(
            ThreadKey.make(participantIDs: ["a", "b"], productID: nil, orderID: nil)
                != ThreadKey.make(participantIDs: ["a", "b", "c"], productID: nil, orderID: nil))
    }
}
