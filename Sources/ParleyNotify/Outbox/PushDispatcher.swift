import Foundation
import Logging
import ParleyCore

/// Delivers `push` and `pushRead` outbox items to every subscription of their user:
/// decides whether a push is still wanted (unread, the user stayed away), encrypts it
/// (RFC 8291) for each browser, signs it (VAPID, RFC 8292), sends it, and acts on the
/// push service's answer.
///
/// A subscription that took a message is recorded (`recordPushed`), so a retry — after a
/// `429`/`5xx` of another subscription, or on another node after this one died — skips it:
/// no message is pushed twice to one subscription.
struct PushDispatcher: Sendable {
    let store: any NotificationStore & ConversationStore & AssistStore
    let sender: NotifyHTTPSender
    let configuration: PushConfiguration
    let presence: any RecipientPresence
    let clock: any WallClock
    let logger: Logger
    let metrics: (any OutboxMetrics)?

    /// What came back from one subscription.
    private enum Answer: Sendable {
        case delivered
        /// Gone for good (404, 410, a forbidden address): the subscription is removed.
        case gone
        /// Nothing to retry (413, another 4xx).
        case dropped
        /// 429, 5xx or no answer: try again, not before `after`.
        case retry(after: Duration?)
    }

    func deliver(_ item: OutboxItem) async -> DeliveryOutcome {
        let userID = item.target
        guard let seq = item.seq, let messageID = item.messageID else { return .finished }
        let now = clock.now()
        if now.millisecondsSince1970 - item.createdAt.millisecondsSince1970 > Int64(configuration.timeToLiveSeconds) * 1_000 {
            logger.info("push expired before it could be delivered", metadata: ["item": "\(item.itemID)"])
            return .finished
        }
        let message: Message
        let senderName: String
        let subscriptions: [PushSubscription]
        do {
            guard let view = try await store.conversationView(id: item.conversationID, for: userID),
                view.conversation.isParticipant(userID) || view.conversation.assignedTo?.isSameID(as: userID) == true,
                view.unreadCount > 0,
                let found = try await store.storedMessage(id: messageID)
            else { return .finished }
            message = found
            // Away since the newest message it would announce: whoever was connected
            // then saw it arrive.
            guard await presence.stayedAway(userID, since: message.timestamp) else {
                logger.debug("no push: the recipient was connected", metadata: ["user": "\(userID)"])
                return .finished
            }
            senderName = try await store.userNames([message.senderID])[message.senderID] ?? message.senderID
            subscriptions = try await store.pushSubscriptions(of: userID)
        } catch {
            logger.warning("could not prepare a push", metadata: ["item": "\(item.itemID)", "error": "\(error)"])
            return .retry(at: now.adding(.seconds(5)))
        }
        let payload = PushPayload.message(
            conversationID: item.conversationID, messageID: messageID, seq: seq, senderName: senderName,
            preview: PushPayload.preview(of: message), url: PushPayload.url(conversationID: item.conversationID))
        // Every subscription at once: one item stays well inside its lease however many
        // browsers the user has (each request has its own 10 s limit).
        let answers = await withTaskGroup(of: Answer?.self) { group in
            for subscription in subscriptions {
                group.addTask { await pushOnce(payload, seq: seq, to: subscription, item: item) }
            }
            var answers: [Answer] = []
            for await answer in group { if let answer { answers.append(answer) } }
            return answers
        }
        var retryAfter: Duration?
        var delivered = false
        for answer in answers {
            switch answer {
            case .delivered: delivered = true
            case .gone, .dropped: break
            case .retry(let after): retryAfter = max(retryAfter ?? .zero, after ?? .zero)
            }
        }
        if delivered { await clearIfReadMeanwhile(item, userID: userID) }
        return retry(item, after: retryAfter, now: now)
    }

    /// Pushes the message to one subscription unless it already had it (a retry, or a
    /// node that died after sending), records it, and removes a subscription that is
    /// gone. Nil when there was nothing to send.
    private func pushOnce(_ payload: PushPayload, seq: Int64, to subscription: PushSubscription, item: OutboxItem) async -> Answer? {
        do {
            if let pushed = try await store.pushedSeq(subscriptionID: subscription.subscriptionID, conversationID: item.conversationID),
                pushed >= seq
            {
                return nil
            }
        } catch {
            return .retry(after: .seconds(5))
        }
        let answer = await send(payload, to: subscription, urgency: "high", item: item)
        switch answer {
        case .delivered:
            do {
                try await store.recordPushed(subscriptionID: subscription.subscriptionID, conversationID: item.conversationID, seq: seq)
            } catch {
                logger.warning("could not record a push", metadata: ["subscription": "\(subscription.subscriptionID)", "error": "\(error)"])
            }
        case .gone:
            _ = try? await store.deletePushSubscription(id: subscription.subscriptionID, userID: nil)
        case .dropped, .retry:
            break
        }
        return answer
    }

    /// A read that came while the push was on its way found nothing recorded to clear:
    /// when the user has read the conversation by now, the `read` push follows at once.
    private func clearIfReadMeanwhile(_ item: OutboxItem, userID: String) async {
        do {
            guard let view = try await store.conversationView(id: item.conversationID, for: userID), view.unreadCount == 0 else {
                return
            }
            _ = try await store.enqueueReadPush(
                userID: userID, conversationID: item.conversationID, seq: view.conversation.lastSeq, now: clock.now())
        } catch {
            logger.warning("could not check a pushed conversation's read position", metadata: ["item": "\(item.itemID)", "error": "\(error)"])
        }
    }

    func deliverRead(_ item: OutboxItem) async -> DeliveryOutcome {
        guard let seq = item.seq else { return .finished }
        let now = clock.now()
        if item.attempts >= RetrySchedule.maxReadPushAttempts { return .finished }
        var subscriptions: [PushSubscription]
        do {
            subscriptions = try await store.pushSubscriptions(of: item.target)
        } catch {
            return .retry(at: now.adding(.seconds(5)))
        }
        // Only the browsers that were sent the message.
        if let payload = item.payload, let ids = try? JSONDecoder().decode([String].self, from: Data(payload.utf8)) {
            subscriptions = subscriptions.filter { ids.contains($0.subscriptionID) }
        }
        var retryAfter: Duration?
        for subscription in subscriptions {
            switch await send(.read(conversationID: item.conversationID, seq: seq), to: subscription, urgency: "normal", item: item) {
            case .delivered, .dropped: break
            case .gone: _ = try? await store.deletePushSubscription(id: subscription.subscriptionID, userID: nil)
            case .retry(let after): retryAfter = max(retryAfter ?? .zero, after ?? .zero)
            }
        }
        return retry(item, after: retryAfter, now: now)
    }

    /// `.finished` when nothing asked for a retry or the TTL would run out first; else the
    /// next attempt after the backoff, and not before the push service's `Retry-After`.
    private func retry(_ item: OutboxItem, after retryAfter: Duration?, now: Timestamp) -> DeliveryOutcome {
        guard let retryAfter else { return .finished }
        let left = Duration.seconds(configuration.timeToLiveSeconds) - Duration.milliseconds(
            now.millisecondsSince1970 - item.createdAt.millisecondsSince1970)
        guard
            let delay = RetrySchedule.pushDelay(
                afterAttempt: item.attempts + 1, retryAfter: retryAfter == .zero ? nil : retryAfter, timeToLiveLeft: left)
        else {
            logger.info("push given up: its TTL runs out before the next attempt", metadata: ["item": "\(item.itemID)"])
            return .finished
        }
        return .retry(at: now.adding(delay))
    }

    private func send(_ payload: PushPayload, to subscription: PushSubscription, urgency: String, item: OutboxItem) async -> Answer {
        do {
            _ = try await EndpointPolicy.push(allowInsecure: configuration.allowInsecure).check(subscription.endpoint)
        } catch let refusal where refusal.isTransient {
            logger.info(
                "push postponed: its endpoint's host cannot be resolved now",
                metadata: ["subscription": "\(subscription.subscriptionID)", "reason": "\(refusal)"])
            metrics?.recordAttempt(kind: item.kind, answer: "error")
            return .retry(after: nil)
        } catch {
            logger.notice(
                "push subscription removed: its endpoint is not allowed",
                metadata: ["subscription": "\(subscription.subscriptionID)", "reason": "\(error)"])
            metrics?.recordAttempt(kind: item.kind, answer: "blocked")
            return .gone
        }
        let body: [UInt8]
        let authorization: String
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            body = try WebPushEncryptor().encrypt(
                Array(try encoder.encode(payload)), p256dh: subscription.p256dh, auth: subscription.auth)
            authorization = try configuration.signer.authorization(for: subscription.endpoint, now: clock.now())
        } catch {
            logger.warning(
                "push subscription removed: its keys cannot encrypt",
                metadata: ["subscription": "\(subscription.subscriptionID)", "error": "\(error)"])
            return .gone
        }
        let age = max(0, (clock.now().millisecondsSince1970 - item.createdAt.millisecondsSince1970) / 1_000)
        let answer = await sender.post(
            url: subscription.endpoint,
            headers: [
                ("Content-Type", "application/octet-stream"),
                ("Content-Encoding", "aes128gcm"),
                ("TTL", String(max(0, Int64(configuration.timeToLiveSeconds) - age))),
                ("Urgency", urgency),
                ("Topic", PushTopic.of(conversationID: item.conversationID)),
                ("Authorization", authorization),
            ],
            body: body, timeout: NotifyHTTPSender.pushTimeout)
        metrics?.recordAttempt(kind: item.kind, answer: answer.status.map(String.init) ?? "error")
        if answer.isSuccess { return .delivered }
        switch answer.status {
        case 404, 410:
            logger.info(
                "push subscription removed: the push service no longer knows it",
                metadata: ["subscription": "\(subscription.subscriptionID)", "status": "\(answer.status ?? 0)"])
            return .gone
        case 429, nil:
            return .retry(after: answer.retryAfter)
        case let status? where status >= 500:
            return .retry(after: answer.retryAfter)
        case let status?:
            logger.warning(
                "push refused by the push service",
                metadata: ["subscription": "\(subscription.subscriptionID)", "status": "\(status)", "error": "\(answer.error ?? "")"])
            return .dropped
        }
    }
}
