import Foundation
import ParleyCore
import Testing

/// Sentiment, contact masking and escalation as every store keeps them (issue 13).
extension StoreBehaviour {
    private static let screening = MessageScreening(
        sentiment: Sentiment(label: .negative, score: -0.7),
        masked: MaskingResult(text: "llámame al […]", kinds: [.phone]), maskingMode: .beforeOrder)

    private static func screened(_ conversationID: String, from sender: String) -> NewMessage {
        var message = Make.message(conversationID, from: sender, "llámame al 612 345 678")
        message.screening = screening
        return message
    }

    static func screeningAppliesToBuyersAndSellersAndMasksOnlyBeforeAnOrder(_ store: any ConversationStore) async throws {
        let people: [(String, ParticipantRole)] = [("buyer1", .buyer), ("seller1", .seller), ("agent1", .support)]
        let beforeOrder = try await store.createConversation(Make.conversation(people, orderID: nil)).conversation.conversationID
        let buyer = try await store.appendMessage(screened(beforeOrder, from: "buyer1")).message
        #expect(buyer.content == "llámame al […]")
        #expect(buyer.annotations.masked == [.phone] && buyer.annotations.originalContent == "llámame al 612 345 678")
        #expect(buyer.annotations.sentiment == screening.sentiment)
        // A support participant's message and a non-participant's (service) are stored as sent.
        for sender in ["agent1", "backend"] {
            let message = try await store.appendMessage(screened(beforeOrder, from: sender)).message
            #expect(message.content == "llámame al 612 345 678" && message.annotations == .none)
        }
        // With an order, a before-order masking leaves the text; the sentiment stays.
        let afterOrder = try await store.createConversation(Make.conversation(people, orderID: "PED-1")).conversation.conversationID
        let seller = try await store.appendMessage(screened(afterOrder, from: "seller1")).message
        #expect(seller.content == "llámame al 612 345 678" && seller.annotations.masked == nil)
        #expect(seller.annotations.sentiment == screening.sentiment)

        // What was stored is what every read returns; the index holds the masked text only.
        let page = try await store.messages(conversationID: beforeOrder, page: .init(anchor: .newest, limit: 10))
        #expect(page.messages.first?.content == buyer.content && page.messages.first?.annotations == buyer.annotations)
        let afterPage = try await store.messages(conversationID: afterOrder, page: .init(anchor: .newest, limit: 1))
        #expect(afterPage.messages.first?.annotations == MessageAnnotations(sentiment: screening.sentiment), "a sentiment alone reads back")
        let found = try await store.search(SearchQuery(viewerID: "agent1", viewerSeesEverything: true, terms: TextAnalyzer.queryTerms("612")))
        #expect(found.messages.contains { $0.messageID == seller.messageID }, "the unmasked number is found")
        #expect(!found.messages.contains { $0.messageID == buyer.messageID }, "the masked one is not")
    }

    static func aSentimentIsRewrittenAloneAndUnknownMessagesAreIgnored(_ store: any ConversationStore) async throws {
        let id = try await store.createConversation(Make.conversation(orderID: nil)).conversation.conversationID
        let sent = try await store.appendMessage(screened(id, from: "buyer1")).message
        let reviewed = Sentiment(label: .negative, score: -0.93)
        try await store.updateSentiment(reviewed, ofMessage: sent.messageID, in: id)
        try await store.updateSentiment(reviewed, ofMessage: "m_unknown", in: id)
        let stored = try #require(try await store.messages(conversationID: id, page: .init(anchor: .newest, limit: 1)).messages.first)
        var expected = sent.annotations
        expected.sentiment = reviewed
        #expect(stored.annotations == expected && stored.content == sent.content)
        // A message that had no annotations gets the sentiment alone.
        let plain = try await store.appendMessage(Make.message(id, from: "seller1", "vale")).message
        try await store.updateSentiment(Sentiment(label: .neutral, score: 0), ofMessage: plain.messageID, in: id)
        let rewritten = try await store.messages(conversationID: id, page: .init(anchor: .newest, limit: 1)).messages.first
        #expect(rewritten?.annotations == MessageAnnotations(sentiment: Sentiment(label: .neutral, score: 0)))
    }

    static func theEscalatedFilterListsOnlyEscalatedConversations(_ store: any ConversationStore) async throws {
        let calm = try await store.createConversation(Make.conversation(orderID: "o1")).conversation.conversationID
        let angry = try await store.createConversation(Make.conversation(orderID: "o2")).conversation.conversationID
        let escalation = Escalation(at: Make.time(5), reason: .askedForHuman, messageID: nil)
        let updated = try await store.updateConversation(id: angry, change: .escalate(escalation), now: Make.time(5))
        #expect(updated.escalation == escalation && updated.priority == .high)
        func listed(_ escalated: Bool?) async throws -> [String] {
            try await store.listConversations(ConversationQuery(viewerID: "agent", viewerSeesEverything: true, escalated: escalated))
                .conversations.map(\.conversation.conversationID)
        }
        #expect(try await listed(true) == [angry])
        #expect(try await listed(false) == [calm])
        #expect(Set(try await listed(nil)) == [calm, angry])
    }
}
