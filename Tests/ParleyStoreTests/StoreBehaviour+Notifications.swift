import Foundation
import ParleyCore
import Testing

/// `NotificationStore` (issue 15): webhooks, push subscriptions, and the outbox that the
/// conversation writes fill in their own transaction and that nodes drain by leases, the
/// same on both stores.
extension StoreBehaviour {
    private static func notificationStore(_ store: any ConversationStore) throws -> any NotificationStore {
        try #require(store as? any NotificationStore)
    }

    /// Far after every time the tests write: everything is due by then.
    private static let later = Make.time(100_000_000)

    /// The items of `kind` waiting now, oldest due first. Leased with a lease that ended
    /// before any message of the tests, so the next look (or a real lease) takes them
    /// again and no message sees them held.
    private static func waiting(_ kind: OutboxKind, in notify: any NotificationStore) async throws -> [OutboxItem] {
        try await notify.leaseOutbox(
            kind: kind, dueBy: later, now: later, owner: "peek",
            until: Timestamp(millisecondsSince1970: 0), limit: 1000)
    }

    private static func webhook(
        _ id: String, events: [WebhookEventType] = WebhookEventType.allCases, at offset: Int64 = 0
    ) -> Webhook {
        Webhook(
            webhookID: id, url: "https://hooks.example.com/\(id)", events: events, secret: "whsec_" + id,
            createdBy: "backend", createdAt: Make.time(offset))
    }

    private static func subscription(_ id: String, of userID: String, endpoint: String, at offset: Int64 = 0) -> PushSubscription {
        PushSubscription(
            subscriptionID: id, userID: userID, endpoint: endpoint, p256dh: "BP-" + id, auth: "auth-" + id,
            expirationTime: nil, createdAt: Make.time(offset))
    }

    static func webhooksAreSavedListedRotatedDisabledAndDeleted(_ store: any ConversationStore) async throws {
        let notify = try notificationStore(store)
        let first = webhook("wh_1", events: [.messageCreated, .ticketRequested], at: 0)
        let second = webhook("wh_2", events: [.conversationCreated], at: 1)
        try await notify.saveWebhook(second)
        try await notify.saveWebhook(first)
        #expect(try await notify.webhooks() == [first, second])
        #expect(try await notify.webhook(id: "wh_1") == first)
        #expect(try await notify.webhook(id: "wh_missing") == nil)

        // Rotation: the new secret signs, the old one too until its grace ends.
        let rotated = try #require(
            try await notify.rotateWebhookSecret(id: "wh_1", newSecret: "whsec_new", previousUntil: Make.time(1_000)))
        #expect(rotated.secret == "whsec_new" && rotated.previousSecret == "whsec_wh_1")
        #expect(rotated.previousSecretUntil == Make.time(1_000))
        #expect(rotated.signingSecrets(at: Make.time(999)) == ["whsec_new", "whsec_wh_1"])
        #expect(rotated.signingSecrets(at: Make.time(1_000)) == ["whsec_new"])
        #expect(try await notify.webhook(id: "wh_1") == rotated)
        #expect(try await notify.rotateWebhookSecret(id: "wh_missing", newSecret: "x", previousUntil: Make.time()) == nil)

        // Disabled: kept (listed, with its time), a second disable keeps the first time.
        try await notify.disableWebhook(id: "wh_2", at: Make.time(50))
        try await notify.disableWebhook(id: "wh_2", at: Make.time(60))
        #expect(try await notify.webhook(id: "wh_2")?.disabledAt == Make.time(50))
        #expect(try await notify.webhooks().count == 2)

        #expect(try await notify.deleteWebhook(id: "wh_1"))
        #expect(!(try await notify.deleteWebhook(id: "wh_1")))
        #expect(try await notify.webhooks().map(\.webhookID) == ["wh_2"])
    }

    static func conversationWritesQueueOneItemPerSubscribedEnabledWebhook(_ store: any ConversationStore) async throws {
        let notify = try notificationStore(store)
        // No webhook: a message queues nothing.
        let quiet = try await store.createConversation(Make.conversation(orderID: "o-quiet")).conversation.conversationID
        _ = try await store.appendMessage(Make.message(quiet))
        #expect(try await waiting(.webhook, in: notify).isEmpty)
        #expect(try await notify.outboxDepth() == OutboxDepth(pending: 0, oldestDueAt: nil))

        try await notify.saveWebhook(webhook("wh_messages", events: [.messageCreated]))
        try await notify.saveWebhook(webhook("wh_other", events: [.ticketRequested], at: 1))
        try await notify.saveWebhook(webhook("wh_off", events: WebhookEventType.allCases, at: 2))
        try await notify.disableWebhook(id: "wh_off", at: Make.time(3))
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        let sent = try await store.appendMessage(Make.message(id, "uno", clientID: "k1", at: 10)).message
        // A retry of the same client message id appends nothing, so queues nothing.
        _ = try await store.appendMessage(Make.message(id, "uno", clientID: "k1", at: 11))
        let items = try await waiting(.webhook, in: notify)
        #expect(items.count == 1)
        let item = try #require(items.first)
        #expect(item.kind == .webhook && item.target == "wh_messages" && item.eventType == .messageCreated)
        #expect(item.conversationID == id && item.messageID == sent.messageID && item.attempts == 0)
        #expect(item.dueAt == Make.time(10) && item.createdAt == Make.time(10))

        // Created, with a first message: both events, for the webhook that wants both.
        try await notify.saveWebhook(webhook("wh_all", events: [.conversationCreated, .messageCreated], at: 4))
        let opened = try await store.createConversation(
            Make.conversation(orderID: "o-new", at: 20, firstMessage: Make.message("", "hola", at: 20)))
        let forAll = try await waiting(.webhook, in: notify).filter { $0.target == "wh_all" }
        #expect(Set(forAll.map(\.eventType)) == [.conversationCreated, .messageCreated])
        #expect(forAll.allSatisfy { $0.conversationID == opened.conversation.conversationID })
        #expect(forAll.first { $0.eventType == .messageCreated }?.messageID == opened.firstMessage?.message.messageID)
        #expect(try await waiting(.webhook, in: notify).count == 4)
        // The same thread again creates nothing.
        _ = try await store.createConversation(Make.conversation(orderID: "o-new", at: 30))
        #expect(try await waiting(.webhook, in: notify).count == 4)
        // Every webhook item has its own id (the webhook-id of its deliveries).
        let all = try await waiting(.webhook, in: notify)
        #expect(Set(all.map(\.itemID)).count == all.count)

        // Queued by hand, for tools: the same rule.
        try await notify.enqueueWebhookEvent(.ticketRequested, conversationID: id, messageID: nil, payload: "{\"x\":1}", now: Make.time(40))
        let ticket = try await waiting(.webhook, in: notify).filter { $0.eventType == .ticketRequested }
        #expect(ticket.map(\.target) == ["wh_other"] && ticket.first?.payload == "{\"x\":1}")
    }

    static func escalationsAndTicketsQueueTheirEventsAndTheTicketIsKept(_ store: any ConversationStore) async throws {
        let notify = try notificationStore(store)
        try await notify.saveWebhook(webhook("wh_all"))
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        func events() async throws -> [WebhookEventType] {
            try await waiting(.webhook, in: notify).filter { $0.eventType != .conversationCreated }.compactMap(\.eventType)
        }

        // Setting what is already there changes nothing and queues nothing.
        _ = try await store.updateConversation(id: id, change: .status(.open), now: Make.time(1))
        #expect(try await events().isEmpty)
        _ = try await store.updateConversation(id: id, change: .priority(.low), now: Make.time(2))
        #expect(try await events() == [.conversationUpdated])

        let escalation = Escalation(at: Make.time(3), reason: .askedForHuman, messageID: nil)
        _ = try await store.updateConversation(id: id, change: .escalate(escalation), now: Make.time(3))
        #expect(try await events().sorted { $0.rawValue < $1.rawValue } == [.conversationEscalated, .conversationUpdated, .conversationUpdated])
        // Once only: a second escalation does not take effect.
        _ = try await store.updateConversation(
            id: id, change: .escalate(Escalation(at: Make.time(4), reason: .negativeSentiment, messageID: nil)), now: Make.time(4))
        #expect(try await events().count == 3)

        let requested = SupportTicket(state: .requested, requestedAt: Make.time(5), requestedBy: "buyer1", reason: "roto")
        let updated = try await store.updateConversation(id: id, change: .ticket(requested), now: Make.time(5))
        #expect(updated.ticket == requested)
        #expect(try await store.conversation(id: id)?.ticket == requested)
        #expect(try await events().filter { $0 == .ticketRequested }.count == 1)
        #expect(try await events().count == 5)

        // The help desk's answer: updated only.
        var answered = requested
        answered.state = .open
        answered.ticketID = "ZD-1234"
        answered.url = "https://desk.example.com/ZD-1234"
        answered.updatedAt = Make.time(6)
        _ = try await store.updateConversation(id: id, change: .ticket(answered), now: Make.time(6))
        #expect(try await store.conversation(id: id)?.ticket == answered)
        #expect(try await events().count == 6)
        #expect(try await events().filter { $0 == .ticketRequested }.count == 1)

        await #expect(throws: ParleyError.self) {
            try await store.updateConversation(id: "c_missing", change: .ticket(requested), now: Make.time(7))
        }
    }

    static func pushesGoToSubscribedRecipientsButNeverTheSenderOnePerConversation(_ store: any ConversationStore) async throws {
        let notify = try notificationStore(store)
        _ = try await notify.savePushSubscription(subscription("s_buyer", of: "buyer1", endpoint: "https://push.example.com/b"))
        _ = try await notify.savePushSubscription(subscription("s_seller", of: "seller1", endpoint: "https://push.example.com/s"))
        _ = try await notify.savePushSubscription(subscription("s_agent", of: "agent7", endpoint: "https://push.example.com/a"))
        _ = try await notify.savePushSubscription(subscription("s_out", of: "outsider", endpoint: "https://push.example.com/o"))
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        _ = try await store.updateConversation(id: id, change: .assignee("agent7"), now: Make.time())

        let first = try await store.appendMessage(Make.message(id, from: "buyer1", "uno", at: 100)).message
        var pushes = try await waiting(.push, in: notify)
        #expect(Set(pushes.map(\.target)) == ["seller1", "agent7"])
        #expect(pushes.allSatisfy { $0.conversationID == id && $0.messageID == first.messageID && $0.seq == 1 })
        #expect(pushes.allSatisfy { $0.dueAt == Make.time(100) && $0.eventType == nil })

        // A second message moves the pending pushes forward, due from its own time: the
        // push goes out `--push-delay` after the newest message, not after the first.
        let second = try await store.appendMessage(Make.message(id, from: "buyer1", "dos", at: 200)).message
        pushes = try await waiting(.push, in: notify)
        #expect(pushes.count == 2)
        #expect(pushes.allSatisfy { $0.messageID == second.messageID && $0.seq == 2 && $0.dueAt == Make.time(200) })
        #expect(pushes.allSatisfy { $0.createdAt == Make.time(200) }, "the TTL counts from the message it announces")
        // The depth keeps pushes apart: only the drain knows their delay.
        #expect(try await notify.outboxDepth() == OutboxDepth(pending: 2, oldestDueAt: nil, oldestPushDueAt: Make.time(200)))

        // The seller answers: the buyer gets one, the seller's own pending one stays as it was.
        _ = try await store.appendMessage(Make.message(id, from: "seller1", "tres", at: 300))
        pushes = try await waiting(.push, in: notify)
        #expect(pushes.count == 3)
        let toBuyer = try #require(pushes.first { $0.target == "buyer1" })
        #expect(toBuyer.seq == 3 && toBuyer.dueAt == Make.time(300))
        #expect(pushes.first { $0.target == "seller1" }?.seq == 2)
        // Nobody has a push of a message they did not receive.
        #expect(!pushes.contains { $0.target == "outsider" })

        // Without subscriptions, nothing.
        let other = try await store.createConversation(
            Make.conversation([("buyer9", .buyer), ("seller9", .seller)], orderID: "o9")).conversation.conversationID
        _ = try await store.appendMessage(Make.message(other, from: "buyer9", "hola", at: 400))
        #expect(try await waiting(.push, in: notify).count == 3)
    }

    static func aNewerMessageTakesAPushBackFromTheNodeDeliveringTheOlderOne(_ store: any ConversationStore) async throws {
        let notify = try notificationStore(store)
        _ = try await notify.savePushSubscription(subscription("s_seller", of: "seller1", endpoint: "https://push.example.com/s"))
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        _ = try await store.appendMessage(Make.message(id, from: "buyer1", "uno", at: 100))
        let held = try await notify.leaseOutbox(
            kind: .push, dueBy: later, now: Make.time(1_000), owner: "node-a", until: later, limit: 10)
        #expect(held.count == 1 && held.first?.seq == 1)
        // While node a pushes message 1, message 2 arrives: the item now stands for 2,
        // and a's finishing must not delete it (2 would never be pushed).
        let second = try await store.appendMessage(Make.message(id, from: "buyer1", "dos", at: 200)).message
        #expect(try await notify.completeOutbox(itemID: held[0].itemID, owner: "node-a") == false)
        let again = try await notify.leaseOutbox(
            kind: .push, dueBy: later, now: Make.time(1_001), owner: "node-b", until: later, limit: 10)
        #expect(again.count == 1 && again.first?.seq == 2 && again.first?.messageID == second.messageID)
        #expect(again.first?.dueAt == Make.time(200), "due after the newer message: its push waits its own delay")
        #expect(try await notify.completeOutbox(itemID: again[0].itemID, owner: "node-b"))
    }

    static func leasesNeverOverlapAndALostLeaseNeitherCompletesNorReschedules(_ store: any ConversationStore) async throws {
        let notify = try notificationStore(store)
        try await notify.saveWebhook(webhook("wh_all", events: [.messageCreated]))
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        for index in 0..<6 { _ = try await store.appendMessage(Make.message(id, "m\(index)", at: Int64(index) * 10)) }
        #expect(try await notify.outboxDepth() == OutboxDepth(pending: 6, oldestDueAt: Make.time(0)))

        // Not due yet: not leased.
        #expect(try await notify.leaseOutbox(
            kind: .webhook, dueBy: Make.time(-1), now: Make.time(100), owner: "a", until: Make.time(200), limit: 10).isEmpty)
        // Another kind: not leased.
        #expect(try await notify.leaseOutbox(
            kind: .push, dueBy: Make.time(1_000), now: Make.time(100), owner: "a", until: Make.time(200), limit: 10).isEmpty)

        // Two nodes at once: six items between them, none twice, oldest due first.
        async let takenByA = notify.leaseOutbox(
            kind: .webhook, dueBy: Make.time(1_000), now: Make.time(100), owner: "a", until: Make.time(200), limit: 4)
        async let takenByB = notify.leaseOutbox(
            kind: .webhook, dueBy: Make.time(1_000), now: Make.time(100), owner: "b", until: Make.time(200), limit: 4)
        let (a, b) = try await (takenByA, takenByB)
        #expect(a.count + b.count == 6)
        #expect(Set(a.map(\.itemID)).isDisjoint(with: b.map(\.itemID)))
        for taken in [a, b] { #expect(taken.map(\.dueAt) == taken.map(\.dueAt).sorted()) }
        // All held: nothing more to lease until the leases end.
        #expect(try await notify.leaseOutbox(
            kind: .webhook, dueBy: Make.time(1_000), now: Make.time(150), owner: "c", until: Make.time(250), limit: 10).isEmpty)

        // a's leases end; c takes them over, and a can then neither finish nor retry them.
        let takenByC = try await notify.leaseOutbox(
            kind: .webhook, dueBy: Make.time(1_000), now: Make.time(201), owner: "c", until: Make.time(300), limit: 10)
        #expect(Set(takenByC.map(\.itemID)) == Set((a + b).map(\.itemID)))
        let lost = try #require(a.first)
        #expect(!(try await notify.completeOutbox(itemID: lost.itemID, owner: "a")))
        #expect(!(try await notify.rescheduleOutbox(itemID: lost.itemID, owner: "a", dueAt: Make.time(999), attempts: 1)))

        // The holder reschedules: a new due time and attempt count, the lease released.
        #expect(try await notify.rescheduleOutbox(itemID: lost.itemID, owner: "c", dueAt: Make.time(5_000), attempts: 1))
        #expect(try await notify.leaseOutbox(
            kind: .webhook, dueBy: Make.time(4_999), now: Make.time(301), owner: "d", until: Make.time(400), limit: 10)
            .allSatisfy { $0.itemID != lost.itemID })
        let retried = try await notify.leaseOutbox(
            kind: .webhook, dueBy: Make.time(5_000), now: Make.time(5_000), owner: "d", until: Make.time(6_000), limit: 10)
        let again = try #require(retried.first { $0.itemID == lost.itemID })
        #expect(again.dueAt == Make.time(5_000) && again.attempts == 1)

        // Completed items are gone.
        for item in retried { #expect(try await notify.completeOutbox(itemID: item.itemID, owner: "d")) }
        #expect(!(try await notify.completeOutbox(itemID: lost.itemID, owner: "d")))
        #expect(try await notify.outboxDepth().pending == 0)
        #expect(try await notify.outboxDepth().oldestDueAt == nil)
    }

    static func deletingOrDisablingAWebhookDropsItsPendingItems(_ store: any ConversationStore) async throws {
        let notify = try notificationStore(store)
        try await notify.saveWebhook(webhook("wh_gone", events: [.messageCreated]))
        try await notify.saveWebhook(webhook("wh_off", events: [.messageCreated], at: 1))
        try await notify.saveWebhook(webhook("wh_kept", events: [.messageCreated], at: 2))
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        _ = try await store.appendMessage(Make.message(id, at: 10))
        #expect(try await notify.outboxDepth().pending == 3)
        try await notify.recordDelivery(
            WebhookDelivery(
                webhookID: "wh_gone", eventID: "evt_1", eventType: .messageCreated, attempt: 1, at: Make.time(11),
                status: 500, error: nil, durationMilliseconds: 12))
        #expect(try await notify.deleteWebhook(id: "wh_gone"))
        try await notify.disableWebhook(id: "wh_off", at: Make.time(12))
        #expect(try await waiting(.webhook, in: notify).map(\.target) == ["wh_kept"])
        #expect(try await notify.deliveries(webhookID: "wh_gone", limit: 10).isEmpty)
        // A disabled webhook gets nothing more.
        _ = try await store.appendMessage(Make.message(id, at: 20))
        #expect(try await waiting(.webhook, in: notify).map(\.target) == ["wh_kept", "wh_kept"])
    }

    static func aPushSubscriptionMovesToItsNewOwnerAndRemembersWhatWasPushed(_ store: any ConversationStore) async throws {
        let notify = try notificationStore(store)
        let original = subscription("s_1", of: "buyer1", endpoint: "https://push.example.com/x", at: 0)
        let saved = try await notify.savePushSubscription(original)
        #expect(saved.created && saved.subscription == original)
        // The same browser, another user signed in: the same subscription, new owner and keys.
        var again = subscription("s_2", of: "seller1", endpoint: "https://push.example.com/x", at: 5)
        again.p256dh = "BP-new"
        again.auth = "auth-new"
        let moved = try await notify.savePushSubscription(again)
        #expect(!moved.created)
        #expect(moved.subscription.subscriptionID == "s_1" && moved.subscription.userID == "seller1")
        #expect(moved.subscription.p256dh == "BP-new" && moved.subscription.auth == "auth-new")
        #expect(try await notify.pushSubscriptions(of: "buyer1").isEmpty)
        #expect(try await notify.pushSubscriptions(of: "seller1") == [moved.subscription])
        _ = try await notify.savePushSubscription(subscription("s_3", of: "seller1", endpoint: "https://push.example.com/y", at: 9))
        #expect(try await notify.pushSubscriptions(of: "seller1").map(\.subscriptionID) == ["s_1", "s_3"])

        // What was pushed: the highest seq, never backwards.
        let conversation = "c_1"
        #expect(try await notify.pushedSeq(subscriptionID: "s_1", conversationID: conversation) == nil)
        try await notify.recordPushed(subscriptionID: "s_1", conversationID: conversation, seq: 4)
        try await notify.recordPushed(subscriptionID: "s_1", conversationID: conversation, seq: 2)
        #expect(try await notify.pushedSeq(subscriptionID: "s_1", conversationID: conversation) == 4)
        #expect(try await notify.pushedSeq(subscriptionID: "s_3", conversationID: conversation) == nil)

        // A read below the pushed message clears nothing; one at or above it queues one
        // read push, once.
        #expect(!(try await notify.enqueueReadPush(userID: "seller1", conversationID: conversation, seq: 3, now: Make.time(20))))
        #expect(!(try await notify.enqueueReadPush(userID: "buyer1", conversationID: conversation, seq: 9, now: Make.time(20))))
        #expect(try await notify.enqueueReadPush(userID: "seller1", conversationID: conversation, seq: 4, now: Make.time(21)))
        #expect(!(try await notify.enqueueReadPush(userID: "seller1", conversationID: conversation, seq: 5, now: Make.time(22))))
        let reads = try await waiting(.pushRead, in: notify)
        #expect(reads.count == 1)
        let read = try #require(reads.first)
        #expect(read.target == "seller1" && read.conversationID == conversation && read.seq == 4 && read.dueAt == Make.time(21))
        #expect(read.payload.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } == ["s_1"],
            "only the subscriptions that were sent the message hear of the read")
        // A newer push shows a notification again, which the next read clears.
        try await notify.recordPushed(subscriptionID: "s_1", conversationID: conversation, seq: 6)
        #expect(try await notify.enqueueReadPush(userID: "seller1", conversationID: conversation, seq: 6, now: Make.time(23)))
        #expect(try await waiting(.pushRead, in: notify).count == 2)
        // Nothing pushed in that conversation: nothing to clear.
        #expect(!(try await notify.enqueueReadPush(userID: "seller1", conversationID: "c_2", seq: 6, now: Make.time(24))))

        // Removal: only by its owner (or anyone when no owner is given), with its records.
        #expect(!(try await notify.deletePushSubscription(id: "s_1", userID: "buyer1")))
        #expect(try await notify.deletePushSubscription(id: "s_1", userID: "seller1"))
        #expect(try await notify.pushedSeq(subscriptionID: "s_1", conversationID: conversation) == nil)
        #expect(try await notify.deletePushSubscription(id: "s_3", userID: nil))
        #expect(!(try await notify.deletePushSubscription(id: "s_3", userID: nil)))
        #expect(try await notify.pushSubscriptions(of: "seller1").isEmpty)
    }

    static func deliveriesAreListedNewestFirstAndPruned(_ store: any ConversationStore) async throws {
        let notify = try notificationStore(store)
        try await notify.saveWebhook(webhook("wh_1"))
        func attempt(_ number: Int, at offset: Int64, status: Int?, error: String? = nil, of webhookID: String = "wh_1") -> WebhookDelivery {
            WebhookDelivery(
                webhookID: webhookID, eventID: "evt_a", eventType: .messageCreated, attempt: number, at: Make.time(offset),
                status: status, error: error, durationMilliseconds: Int64(number) * 100)
        }
        let attempts = [
            attempt(1, at: 0, status: nil, error: "connection refused"), attempt(2, at: 5_000, status: 503),
            attempt(3, at: 300_000, status: 200),
        ]
        for delivery in attempts { try await notify.recordDelivery(delivery) }
        try await notify.recordDelivery(attempt(1, at: 1, status: 204, of: "wh_other"))
        #expect(try await notify.deliveries(webhookID: "wh_1", limit: 10) == attempts.reversed())
        #expect(try await notify.deliveries(webhookID: "wh_1", limit: 2) == [attempts[2], attempts[1]])
        #expect(try await notify.pruneDeliveries(before: Make.time(5_000)) == 2)
        #expect(try await notify.deliveries(webhookID: "wh_1", limit: 10) == [attempts[2], attempts[1]])
        #expect(try await notify.deliveries(webhookID: "wh_other", limit: 10).isEmpty)
    }
}
