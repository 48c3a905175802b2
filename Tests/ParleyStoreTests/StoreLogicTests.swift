import ParleyCore
import Testing

/// The store logic both stores share (`ParleyCore/Store`), without a database.
@Suite struct StoreLogicTests {
    static func entry(_ milliseconds: Int64, _ id: String) -> InboxEntry {
        InboxEntry(activityAt: Timestamp(millisecondsSince1970: milliseconds), conversationID: id)
    }

    @Test func anInboxPageMergesBothPartsNewestFirstKeepsEachConversationOnceAndPointsPastItsLast() {
        let page = InboxPage(ConversationQuery(viewerID: "buyer1", viewerSeesEverything: false, limit: 3), snapshot: 42)
        let unchanged = [Self.entry(90, "c_b"), Self.entry(70, "c_d"), Self.entry(50, "c_e")]
        // c_d got a message between the two reads: it shows in both, and keeps its newer place.
        let changed = [Self.entry(90, "c_c"), Self.entry(80, "c_d")]
        let (rows, nextCursor) = page.select(unchanged + changed) { $0 }
        #expect(rows.map(\.conversationID) == ["c_c", "c_b", "c_d"])
        #expect(nextCursor == InboxCursor(snapshot: 42, lastActivityAt: Timestamp(millisecondsSince1970: 80), conversationID: "c_d"))
        let last = page.select([Self.entry(90, "c_b"), Self.entry(70, "c_d")]) { $0 }
        #expect(last.page.count == 2)
        #expect(last.nextCursor == nil, "no cursor when nothing follows")
    }

    @Test func anInboxPageAsksForEveryFilterOfItsQuery() {
        let query = ConversationQuery(
            viewerID: "agent", viewerSeesEverything: true, status: .open, label: "envio", priority: .high,
            assignedTo: .unassigned, productID: "p1", orderID: "o1", archived: true)
        let page = InboxPage(query, snapshot: 1)
        #expect(page.participantID == nil)
        #expect(
            page.filters == [
                .archived(true), .status(.open), .label("envio"), .priority(.high), .unassigned,
                .productID("p1"), .orderID("o1"),
            ])
        #expect(InboxPage(ConversationQuery(viewerID: "b", viewerSeesEverything: false), snapshot: 1).participantID == "b")
    }

    @Test func messagePagesComeOldestFirstWithoutTheRowThatOnlyTellsMoreFollow() {
        let newest = MessagePageWindow(MessagePageRequest(anchor: .newest, limit: 3))
        #expect(newest.fetchLimit == 4 && newest.readsNewestFirst)
        let walkedBack = newest.page(fromRowsAsRead: [9, 8, 7, 6])
        #expect(walkedBack.rows == [7, 8, 9] && walkedBack.hasMore)
        let after = MessagePageWindow(MessagePageRequest(anchor: .after(4), limit: 3))
        #expect(!after.readsNewestFirst)
        let walkedOn = after.page(fromRowsAsRead: [5, 6])
        #expect(walkedOn.rows == [5, 6] && !walkedOn.hasMore)
    }

    @Test func aResumeWindowWalksPositionsOnlyForALongHistory() {
        #expect(ResumeWindow(after: 10, active: []) == nil)
        let quiet = ResumeWindow(after: 10, active: [.init(id: "c_a", lastSeq: 3, lastPosition: 12), .init(id: "c_b", lastSeq: 4, lastPosition: 15)])
        #expect(quiet?.conversationIDs == ["c_a", "c_b"])
        #expect(quiet?.through == 15)
        #expect(quiet?.walksPositions == false)
        let long = ResumeWindow(after: 10, active: [.init(id: "c_a", lastSeq: ResumeWindow.indexedHistory + 1, lastPosition: 99)])
        #expect(long?.walksPositions == true)
    }

    @Test func recordsWithValuesNoVersionWritesThrowNamingTheColumn() throws {
        let conversation = ConversationRecord(
            id: "c_1", productID: nil, orderID: "o1", subject: nil, status: "open", labels: #"["envio"]"#, priority: "low",
            assignedTo: nil, createdAt: 1, lastActivityAt: 2, lastSeq: 3)
        let buyer = ParticipantRecord(userID: "buyer1", role: "buyer", lastSeen: nil)
        let good = try conversation.conversation(participants: [buyer])
        #expect(good.labels == ["envio"] && good.priority == .low && good.participants.first?.role == .buyer)

        func column(_ body: () throws -> Any) -> String? {
            do {
                _ = try body()
                return nil
            } catch let error as StoredValueError {
                return error.column
            } catch {
                return "\(error)"
            }
        }
        var bad = conversation
        bad.status = "snoozed"
        #expect(column { try bad.conversation(participants: []) } == "conversations.status")
        bad = conversation
        bad.priority = ""
        #expect(column { try bad.conversation(participants: []) } == "conversations.priority")
        bad = conversation
        bad.labels = #"{"envio": 1}"#
        #expect(column { try bad.conversation(participants: []) } == "conversations.labels")
        let wizard = ParticipantRecord(userID: "buyer1", role: "wizard", lastSeen: 5)
        #expect(column { try conversation.conversation(participants: [wizard]) } == "participants.role")
        let message = MessageRecord(
            id: "m_1", conversationID: "c_1", seq: 1, senderID: "buyer1", content: "hola", type: "hologram",
            clientMessageID: nil, createdAt: 1)
        #expect(column { try message.message(readPositions: ReadPositions()) } == "messages.type")
    }

    @Test func aMessageIsReadByEveryoneWhosePositionReachedItButItsSender() {
        let positions = ReadPositions([.init(userID: "buyer1", seq: 5), .init(userID: "seller1", seq: 4), .init(userID: "agent", seq: 9)])
        #expect(positions.readers(ofMessage: 5, sentBy: "buyer1") == ["agent"])
        #expect(positions.readers(ofMessage: 4, sentBy: "agent") == ["buyer1", "seller1"])
    }
}
