import ParleyCore
import Testing

@Suite struct PolicyTests {
    let conversation = Conversation(
        conversationID: "c1",
        participants: [Participant(userID: "buyer1", role: .buyer), Participant(userID: "seller1", role: .seller)],
        productID: nil, orderID: "o1", subject: nil, status: .open, labels: [], priority: .medium, assignedTo: "agent7",
        createdAt: Timestamp(millisecondsSince1970: 0), lastActivityAt: Timestamp(millisecondsSince1970: 0), lastSeq: 0)

    @Test func participantsSupportAndServiceSeeAConversationOutsidersDoNot() {
        #expect(Policy.canSee(Principal(userID: "buyer1", role: .buyer), conversation))
        #expect(Policy.canSee(Principal(userID: "seller1", role: .seller), conversation))
        #expect(Policy.canSee(Principal(userID: "agentX", role: .support), conversation))
        #expect(Policy.canSee(Principal(userID: "backend", role: .service), conversation))
        // Being named the assignee grants nothing without a support token.
        #expect(!Policy.canSee(Principal(userID: "agent7", role: .seller), conversation))
        #expect(!Policy.canSee(Principal(userID: "stranger", role: .buyer), conversation))
        #expect(throws: ParleyError.notFound(what: "conversation")) {
            try Policy.requireVisible(Principal(userID: "stranger", role: .seller), conversation)
        }
    }

    @Test func onlySupportAndServiceChangeTheAssignee() throws {
        #expect(throws: ParleyError.self) {
            try Policy.requireCanChange(Principal(userID: "buyer1", role: .buyer), conversation, .assignee("agent1"))
        }
        try Policy.requireCanChange(Principal(userID: "a", role: .support), conversation, .assignee("agent1"))
        try Policy.requireCanChange(Principal(userID: "s", role: .service), conversation, .assignee(nil))
        try Policy.requireCanChange(Principal(userID: "buyer1", role: .buyer), conversation, .status(.closed))
        try Policy.requireCanChange(Principal(userID: "seller1", role: .seller), conversation, .labels(["x"]))
    }

    @Test func onlyServicePostsSystemMessages() throws {
        for role in [Role.buyer, .seller, .support] {
            let principal = Principal(userID: role == .support ? "agent" : "buyer1", role: role)
            #expect(throws: ParleyError.forbidden(reason: "only the service role may post system messages")) {
                try Policy.requireCanSend(principal, conversation, type: .system)
            }
        }
        try Policy.requireCanSend(Principal(userID: "backend", role: .service), conversation, type: .system)
    }

    @Test func aBuyerOrSellerMustIncludeItselfWhenCreating() throws {
        let others = [Participant(userID: "x", role: .buyer), Participant(userID: "y", role: .seller)]
        #expect(throws: ParleyError.self) { try Policy.requireCanCreate(Principal(userID: "z", role: .buyer), participants: others) }
        try Policy.requireCanCreate(Principal(userID: "x", role: .seller), participants: others)
        try Policy.requireCanCreate(Principal(userID: "backend", role: .service), participants: others)
    }

    @Test func participantsAreBuyersOrSellersOnly() throws {
        let declaringSupport = [Participant(userID: "x", role: .buyer), Participant(userID: "x2", role: .support)]
        #expect(throws: ParleyError.invalid(field: "participants[1].role", reason: "must be buyer or seller (support joins by assignment)")) {
            try Policy.requireCanCreate(Principal(userID: "x", role: .buyer), participants: declaringSupport)
        }
        #expect(throws: ParleyError.self) {
            try Policy.requireCanCreate(Principal(userID: "backend", role: .service), participants: declaringSupport)
        }
    }

    @Test func idsAreComparedAsBytesNotByCanonicalEquivalence() {
        let nfc = Conversation(
            conversationID: "c2",
            participants: [Participant(userID: "Jos\u{E9}", role: .buyer), Participant(userID: "seller1", role: .seller)],
            productID: nil, orderID: nil, subject: nil, status: .closed, labels: [], priority: .medium, assignedTo: nil,
            createdAt: Timestamp(millisecondsSince1970: 0), lastActivityAt: Timestamp(millisecondsSince1970: 0), lastSeq: 0)
        #expect(Policy.canSee(Principal(userID: "Jos\u{E9}", role: .buyer), nfc))
        #expect(!Policy.canSee(Principal(userID: "Jose\u{301}", role: .buyer), nfc))
        #expect(!Policy.reopensClosed(senderID: "Jose\u{301}", nfc))
        #expect(OpaqueID("Jos\u{E9}") != OpaqueID("Jose\u{301}"))
        #expect(Set([OpaqueID("Jos\u{E9}"), OpaqueID("Jose\u{301}")]).count == 2)
    }

    @Test func messagesFromBuyersAndSellersReopenSupportAndServiceDoNot() {
        #expect(Policy.reopensClosed(senderID: "buyer1", conversation))
        #expect(Policy.reopensClosed(senderID: "seller1", conversation))
        #expect(!Policy.reopensClosed(senderID: "agent", conversation))
        #expect(!Policy.reopensClosed(senderID: "backend", conversation))
    }
}
