import ParleyCore
import Testing

/// The behaviour every `ConversationStore` must have, written once; `SQLiteStoreTests` and
/// `PostgresStoreTests` run each against their store.
enum StoreBehaviour {
    static func creatingTheSameThreadTwiceReturnsTheFirst(_ store: any ConversationStore) async throws {
        let first = try await store.createConversation(Make.conversation())
        let again = try await store.createConversation(
            Make.conversation([("seller1", .seller), ("buyer1", .buyer)], labels: ["ignored"]))
        #expect(first.created)
        #expect(!again.created)
        #expect(again.conversation.conversationID == first.conversation.conversationID)
        #expect(again.conversation.labels.isEmpty)
        let otherOrder = try await store.createConversation(Make.conversation(orderID: "o2"))
        #expect(otherOrder.created)
        #expect(otherOrder.conversation.conversationID != first.conversation.conversationID)
    }

    static func seqStartsAtOneAndIsGapFreeUnderConcurrentSends(_ store: any ConversationStore) async throws {
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    _ = try await store.appendMessage(Make.message(id, from: index % 2 == 0 ? "buyer1" : "seller1", "m\(index)"))
                }
            }
            try await group.waitForAll()
        }
        let page = try await store.messages(conversationID: id, page: .init(anchor: .after(0), limit: 200))
        #expect(page.messages.map(\.seq) == Array(1...200))
        #expect(!page.hasMore)
        #expect(try await store.conversation(id: id)?.lastSeq == 200)
    }

    static func aRepeatedClientMessageIDReturnsTheFirstMessage(_ store: any ConversationStore) async throws {
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        let first = try await store.appendMessage(Make.message(id, "uno", clientID: "k1"))
        let again = try await store.appendMessage(Make.message(id, "otro", clientID: "k1"))
        let otherSender = try await store.appendMessage(Make.message(id, from: "seller1", "dos", clientID: "k1"))
        #expect(first.created && !again.created && otherSender.created)
        #expect(again.message == first.message)
        #expect(again.position == first.position)
        #expect(otherSender.message.seq == 2)
    }

    static func pagesGoNewestBeforeAndAfterWithHasMore(_ store: any ConversationStore) async throws {
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        for index in 1...7 { _ = try await store.appendMessage(Make.message(id, "m\(index)")) }
        let newest = try await store.messages(conversationID: id, page: .init(anchor: .newest, limit: 3))
        #expect(newest.messages.map(\.seq) == [5, 6, 7])
        #expect(newest.hasMore)
        let before = try await store.messages(conversationID: id, page: .init(anchor: .before(5), limit: 3))
        #expect(before.messages.map(\.seq) == [2, 3, 4])
        #expect(before.hasMore)
        let oldest = try await store.messages(conversationID: id, page: .init(anchor: .before(2), limit: 3))
        #expect(oldest.messages.map(\.seq) == [1])
        #expect(!oldest.hasMore)
        let after = try await store.messages(conversationID: id, page: .init(anchor: .after(4), limit: 3))
        #expect(after.messages.map(\.seq) == [5, 6, 7])
        #expect(!after.hasMore)
        let afterSome = try await store.messages(conversationID: id, page: .init(anchor: .after(1), limit: 3))
        #expect(afterSome.messages.map(\.seq) == [2, 3, 4])
        #expect(afterSome.hasMore)
    }

    static func readPositionsGiveReadByAndUnreadCounts(_ store: any ConversationStore) async throws {
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        for index in 1...3 { _ = try await store.appendMessage(Make.message(id, from: "buyer1", "m\(index)")) }
        #expect(try await store.conversationView(id: id, for: "seller1")?.unreadCount == 3)
        #expect(try await store.conversationView(id: id, for: "buyer1")?.unreadCount == 0)
        #expect(try await store.markRead(conversationID: id, userID: "seller1", seq: 2, now: Make.time()) == .init(position: 2, moved: true))
        // Never backwards.
        #expect(try await store.markRead(conversationID: id, userID: "seller1", seq: 1, now: Make.time()) == .init(position: 2, moved: false))
        #expect(try await store.conversationView(id: id, for: "seller1")?.unreadCount == 1)
        let page = try await store.messages(conversationID: id, page: .init(anchor: .newest, limit: 10))
        #expect(page.messages.map(\.readBy) == [["seller1"], ["seller1"], []])
        // Sending moves the sender's own read position.
        _ = try await store.appendMessage(Make.message(id, from: "seller1", "respuesta"))
        #expect(try await store.conversationView(id: id, for: "seller1")?.unreadCount == 0)
        #expect(try await store.conversationView(id: id, for: "buyer1")?.unreadCount == 1)
        await #expect(throws: ParleyError.self) {
            try await store.markRead(conversationID: id, userID: "seller1", seq: 99, now: Make.time())
        }
    }

    static func aMessageFromABuyerOrSellerReopensAClosedConversation(_ store: any ConversationStore) async throws {
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        _ = try await store.updateConversation(id: id, change: .status(.closed), now: Make.time())
        let fromSupport = try await store.appendMessage(Make.message(id, from: "agent", "cerrado"))
        #expect(!fromSupport.reopened)
        #expect(try await store.conversation(id: id)?.status == .closed)
        let fromBuyer = try await store.appendMessage(Make.message(id, from: "buyer1", "¿y mi pedido?"))
        #expect(fromBuyer.reopened)
        #expect(try await store.conversation(id: id)?.status == .open)
    }

    static func authorizationRunsInsideTheWriteAndARefusalWritesNothing(_ store: any ConversationStore) async throws {
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        await #expect(throws: ParleyError.forbidden(reason: "no")) {
            try await store.appendMessage(
                Make.message(id, "x"), authorize: { _ in throw ParleyError.forbidden(reason: "no") },
                afterCommit: nil)
        }
        let seen = try await store.appendMessage(
            Make.message(id, "y"),
            authorize: { conversation in
                #expect(conversation.participants.map(\.userID) == ["buyer1", "seller1"])
            }, afterCommit: nil)
        #expect(seen.message.seq == 1)
        #expect(seen.conversation.lastSeq == 1)
        await #expect(throws: ParleyError.notFound(what: "conversation")) {
            try await store.appendMessage(Make.message("c_missing", "z"))
        }
    }

    static func updatesChangeSharedStateAndArchiveIsPerUser(_ store: any ConversationStore) async throws {
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        _ = try await store.updateConversation(id: id, change: .labels(["envio", "urgente"]), now: Make.time())
        _ = try await store.updateConversation(id: id, change: .priority(.high), now: Make.time())
        let assigned = try await store.updateConversation(id: id, change: .assignee("agent7"), now: Make.time())
        #expect(assigned.labels == ["envio", "urgente"])
        #expect(assigned.priority == .high)
        #expect(assigned.assignedTo == "agent7")
        try await store.setArchived(conversationID: id, userID: "buyer1", archived: true)
        #expect(try await store.conversationView(id: id, for: "buyer1")?.archived == true)
        #expect(try await store.conversationView(id: id, for: "seller1")?.archived == false)
        await #expect(throws: ParleyError.notFound(what: "conversation")) {
            try await store.updateConversation(id: "c_missing", change: .priority(.low), now: Make.time())
        }
    }

    static func inboxListsNewestActivityFirstWithFiltersAndStablePages(_ store: any ConversationStore) async throws {
        var ids: [String] = []
        for index in 0..<5 {
            let created = try await store.createConversation(
                Make.conversation(orderID: "o\(index)", labels: index.isMultiple(of: 2) ? ["envio"] : [], at: Int64(index)))
            ids.append(created.conversation.conversationID)
        }
        _ = try await store.createConversation(Make.conversation([("other", .buyer), ("seller2", .seller)], at: 10))
        _ = try await store.appendMessage(Make.message(ids[1], at: 100))
        let query = ConversationQuery(viewerID: "buyer1", viewerSeesEverything: false, limit: 2)
        var seen: [String] = []
        var cursor: InboxCursor?
        repeat {
            var pageQuery = query
            pageQuery.cursor = cursor
            let page = try await store.listConversations(pageQuery)
            seen += page.conversations.map(\.conversation.conversationID)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == [ids[1], ids[4], ids[3], ids[2], ids[0]])
        let labelled = try await store.listConversations(
            ConversationQuery(viewerID: "buyer1", viewerSeesEverything: false, label: "envio"))
        #expect(Set(labelled.conversations.map(\.conversation.conversationID)) == [ids[0], ids[2], ids[4]])
        let everything = try await store.listConversations(ConversationQuery(viewerID: "agent", viewerSeesEverything: true))
        #expect(everything.conversations.count == 6)
        let byOrder = try await store.listConversations(
            ConversationQuery(viewerID: "buyer1", viewerSeesEverything: false, orderID: "o3"))
        #expect(byOrder.conversations.map(\.conversation.conversationID) == [ids[3]])
        try await store.setArchived(conversationID: ids[0], userID: "buyer1", archived: true)
        let active = try await store.listConversations(ConversationQuery(viewerID: "buyer1", viewerSeesEverything: false))
        #expect(!active.conversations.map(\.conversation.conversationID).contains(ids[0]))
        let archived = try await store.listConversations(
            ConversationQuery(viewerID: "buyer1", viewerSeesEverything: false, archived: true))
        #expect(archived.conversations.map(\.conversation.conversationID) == [ids[0]])
        _ = try await store.updateConversation(id: ids[2], change: .assignee("agent7"), now: Make.time())
        let assigned = try await store.listConversations(
            ConversationQuery(viewerID: "agent", viewerSeesEverything: true, assignedTo: .user("agent7")))
        #expect(assigned.conversations.map(\.conversation.conversationID) == [ids[2]])
        let unassigned = try await store.listConversations(
            ConversationQuery(viewerID: "agent", viewerSeesEverything: true, assignedTo: .unassigned))
        #expect(unassigned.conversations.count == 5)
    }

    static func inboxPagesNeitherSkipNorRepeatWhileMessagesArrive(_ store: any ConversationStore) async throws {
        var ids: [String] = []
        for index in 0..<30 {
            let created = try await store.createConversation(Make.conversation(orderID: "o\(index)", at: Int64(index)))
            ids.append(created.conversation.conversationID)
            _ = try await store.appendMessage(Make.message(created.conversation.conversationID, "m", at: Int64(index)))
        }
        var seen: [String] = []
        var cursor: InboxCursor?
        var round: Int64 = 0
        repeat {
            let page = try await store.listConversations(
                ConversationQuery(viewerID: "buyer1", viewerSeesEverything: false, limit: 4, cursor: cursor))
            seen += page.conversations.map(\.conversation.conversationID)
            cursor = page.nextCursor
            // Between pages: new messages in conversations already seen and not yet
            // seen (which jump to the top), and a brand-new conversation.
            round += 1
            let unseen = ids.filter { !seen.contains($0) }
            for id in [seen.first, unseen.last, unseen.first].compactMap({ $0 }) {
                _ = try await store.appendMessage(Make.message(id, "nuevo", at: 1_000 + round * 10))
            }
            _ = try await store.createConversation(Make.conversation(orderID: "new\(round)", at: 1_005 + round * 10))
        } while cursor != nil
        #expect(seen.count == 30, "no conversation repeated")
        #expect(Set(seen) == Set(ids), "none skipped")
        // A refresh shows the new activity first.
        let refreshed = try await store.listConversations(ConversationQuery(viewerID: "buyer1", viewerSeesEverything: false, limit: 1))
        #expect(refreshed.conversations.first?.conversation.orderID?.hasPrefix("new") == true)
    }

    static func aFirstMessageIsPostedWithTheCreate(_ store: any ConversationStore) async throws {
        var request = Make.conversation()
        request.firstMessage = Make.message("", "¿Cuándo llega el envío?")
        let created = try await store.createConversation(request)
        #expect(created.firstMessage?.message.seq == 1)
        #expect(created.firstMessage?.message.conversationID == created.conversation.conversationID)
        let view = try await store.conversationView(id: created.conversation.conversationID, for: "seller1")
        #expect(view?.lastMessage?.content == "¿Cuándo llega el envío?")
        #expect(view?.unreadCount == 1)
    }

    static func searchFoldsAccentsAndWordFormsAndShowsOnlyWhatTheViewerMaySee(_ store: any ConversationStore) async throws {
        let mine = try await store.createConversation(Make.conversation()).conversation.conversationID
        let theirs = try await store.createConversation(
            Make.conversation([("buyer2", .buyer), ("seller2", .seller)])
        ).conversation.conversationID
        _ = try await store.appendMessage(Make.message(mine, "¿Cuándo llega el envío?", at: 1))
        _ = try await store.appendMessage(Make.message(mine, from: "seller1", "Los envíos salen los lunes", at: 2))
        _ = try await store.appendMessage(Make.message(mine, "Gracias por la respuesta", at: 3))
        _ = try await store.appendMessage(Make.message(theirs, from: "buyer2", "Mi envio no llegó", at: 4))
        func search(
            _ text: String, as viewer: String = "buyer1", everything: Bool = false, sender: String? = nil
        )
            async throws -> [String]
        {
            try await store.search(
                SearchQuery(
                    viewerID: viewer, viewerSeesEverything: everything, terms: TextAnalyzer.queryTerms(text),
                    senderID: sender)
            ).messages.map(\.content)
        }
        let unaccented = try await search("envio")
        #expect(Set(unaccented) == ["¿Cuándo llega el envío?", "Los envíos salen los lunes"])
        let prefix = try await search("envi*")
        #expect(prefix.count == 2)
        #expect(try await search("envio", sender: "seller1") == ["Los envíos salen los lunes"])
        #expect(try await search("respuestas") == ["Gracias por la respuesta"])
        #expect(try await search("envio lunes") == ["Los envíos salen los lunes"])
        #expect(try await search("envio", as: "buyer2") == ["Mi envio no llegó"])
        #expect(try await search("envio", as: "agent1", everything: true).count == 3)
        #expect(try await search("reembolso").isEmpty)
    }

    /// Every filter narrows the viewer's scope and never widens it: an outsider naming a
    /// conversation, one of its senders or a time range finds nothing in it.
    static func searchFiltersNeverWidenTheViewersScope(_ store: any ConversationStore) async throws {
        let theirs = try await store.createConversation(
            Make.conversation([("buyer2", .buyer), ("seller2", .seller)])
        ).conversation.conversationID
        let mine = try await store.createConversation(
            Make.conversation([("outsider", .buyer), ("seller3", .seller)])
        ).conversation.conversationID
        _ = try await store.appendMessage(Make.message(theirs, from: "buyer2", "Mi dirección es secreta", at: 1))
        _ = try await store.appendMessage(Make.message(mine, from: "outsider", "Una pregunta", at: 2))
        func search(
            _ text: String, conversation: String? = nil, sender: String? = nil, from: Timestamp? = nil,
            to: Timestamp? = nil
        ) async throws -> [String] {
            try await store.search(
                SearchQuery(
                    viewerID: "outsider", viewerSeesEverything: false, terms: TextAnalyzer.queryTerms(text),
                    conversationID: conversation, senderID: sender, from: from, to: to)
            ).messages.map(\.content)
        }
        #expect(try await search("direccion", conversation: theirs).isEmpty)
        #expect(try await search("secr*", conversation: theirs).isEmpty)
        #expect(try await search("direccion", sender: "buyer2").isEmpty)
        #expect(try await search("direccion", from: Make.time(0), to: Make.time(10)).isEmpty)
        #expect(try await search("direccion", conversation: theirs, sender: "buyer2", from: Make.time(0)).isEmpty)
        // The filters still find what the viewer may see.
        #expect(try await search("pregunta", conversation: mine) == ["Una pregunta"])
        #expect(try await search("pregunta", sender: "outsider", from: Make.time(0), to: Make.time(10)) == ["Una pregunta"])
        // Being the assignee grants nothing in search: only support (who sees everything) is assigned.
        _ = try await store.updateConversation(id: theirs, change: .assignee("outsider"), now: Make.time(3))
        #expect(try await search("direccion").isEmpty)
        #expect(try await search("direccion", conversation: theirs).isEmpty)
    }

    static func aReadThatDoesNotMoveThePositionWritesNothing(_ store: any ConversationStore) async throws {
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        _ = try await store.appendMessage(Make.message(id, "uno"))
        #expect(try await store.markRead(conversationID: id, userID: "seller1", seq: 1, now: Make.time(5)) == .init(position: 1, moved: true))
        #expect(try await store.markRead(conversationID: id, userID: "seller1", seq: 1, now: Make.time(9)) == .init(position: 1, moved: false))
        #expect(try await store.markRead(conversationID: id, userID: "seller1", seq: 0, now: Make.time(9)) == .init(position: 1, moved: false))
        // The last-seen time is that of the read that moved the position.
        let seller = try await store.conversation(id: id)?.participants.first { $0.userID == "seller1" }
        #expect(seller?.lastSeen == Make.time(5))
    }

    static func supportAgentsAreKnownOnceRecordedAndComparedAsBytes(_ store: any ConversationStore) async throws {
        #expect(try await store.isSupportAgent("agent7") == false)
        try await store.recordSupportAgent("agent7", now: Make.time())
        try await store.recordSupportAgent("agent7", now: Make.time(1))
        #expect(try await store.isSupportAgent("agent7"))
        try await store.recordSupportAgent("Jos\u{E9}", now: Make.time())
        #expect(try await store.isSupportAgent("Jose\u{301}") == false)
    }

    static func resumeReturnsVisibleMessagesAfterAPositionInCommitOrder(_ store: any ConversationStore) async throws {
        let start = try await store.latestPosition()
        let first = try await store.createConversation(Make.conversation()).conversation.conversationID
        let other = try await store.createConversation(
            Make.conversation([("buyer2", .buyer), ("seller1", .seller)])
        ).conversation.conversationID
        var positions: [Int64] = []
        for index in 0..<6 {
            let result = try await store.appendMessage(
                Make.message(
                    index % 2 == 0 ? first : other,
                    from: index % 2 == 0 ? "buyer1" : "buyer2", "m\(index)"))
            positions.append(result.position)
        }
        #expect(positions == positions.sorted() && Set(positions).count == 6)
        #expect(try await store.latestPosition() >= positions.last!)
        let forSeller = try await store.messages(after: start, visibleTo: "seller1", limit: 100)
        #expect(forSeller.map(\.message.content) == ["m0", "m1", "m2", "m3", "m4", "m5"])
        let forBuyer = try await store.messages(after: positions[1], visibleTo: "buyer1", limit: 100)
        #expect(forBuyer.map(\.message.content) == ["m2", "m4"])
        #expect(try await store.messages(after: positions[5], visibleTo: "seller1", limit: 100).isEmpty)
        _ = try await store.updateConversation(id: other, change: .assignee("agent1"), now: Make.time())
        let forAgent = try await store.messages(after: start, visibleTo: "agent1", limit: 2)
        #expect(forAgent.map(\.message.content) == ["m1", "m3"])
        #expect(Set(try await store.relatedUsers(of: "buyer2", limit: 10)) == ["seller1", "agent1"])
        #expect(Set(try await store.relatedUsers(of: "seller1", limit: 10)) == ["buyer1", "buyer2", "agent1"])
    }

    static func aWriteTheDatabaseRefusesFailsAloneAndPositionsStayGapFree(_ store: any ConversationStore) async throws {
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        let first = try await store.appendMessage(Make.message(id, "uno"))
        // The same message id again breaks a unique index inside the database, in the
        // middle of a burst of good writes that share its batch.
        var duplicate = Make.message(id, "otra vez")
        duplicate.messageID = first.message.messageID
        let again = duplicate
        let results = await withTaskGroup(of: Result<AppendMessageResult, any Error>.self) { group in
            for index in 0..<40 {
                group.addTask {
                    do {
                        return .success(try await store.appendMessage(index == 20 ? again : Make.message(id, "m\(index)")))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var results: [Result<AppendMessageResult, any Error>] = []
            for await result in group { results.append(result) }
            return results
        }
        let stored = results.compactMap { try? $0.get() }
        #expect(stored.count == 39, "only the duplicate fails")
        #expect(results.count(where: { (try? $0.get()) == nil }) == 1)
        #expect(Set(stored.map(\.message.seq)) == Set(2...40))
        let positions = ([first.position] + stored.map(\.position)).sorted()
        #expect(positions == Array(positions[0]...positions[0] + 39), "positions of committed messages have no gaps")
        #expect(try await store.latestPosition() == positions.last)
    }
}
