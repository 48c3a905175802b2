import Logging
import ParleyCore
import ServiceLifecycle
import Synchronization

/// Drains the durable outbox on this node: leases due items, delivers them (webhooks,
/// pushes, read pushes) and removes or reschedules each by its answer.
///
/// Every node runs one; the store's leases keep two nodes off the same item, and an item
/// leased by a node that died is taken again once its lease ends (`lease`), so nothing
/// is lost and a delivery repeats only when a node died mid-attempt (receivers dedupe by
/// `webhook-id`). Deliveries run concurrently, at most `maxInFlight` at a time, so a slow
/// receiver does not hold up the others. It shuts `sender` down when it stops.
public final class OutboxDrainer: Service {
    /// Longer than any one attempt (webhooks time out after 15 s, each push after 10 s).
    public static let defaultLease: Duration = .seconds(60)
    /// How often the outbox is looked at when the last look found nothing.
    public static let defaultPollInterval: Duration = .milliseconds(500)
    /// Items leased per look and kind.
    static let batchSize = 32
    /// Deliveries in flight on this node at once.
    static let maxInFlight = 64
    /// Of which webhook deliveries, so that pushes always find room.
    static let maxWebhooksInFlight = 40
    /// The pause between looks while every slot is busy.
    static let busyPause: Duration = .milliseconds(10)
    /// How often the depth gauge is refreshed.
    static let depthInterval: Duration = .seconds(5)

    private let store: any NotificationStore
    private let sender: NotifyHTTPSender
    private let webhooks: WebhookDispatcher
    private let pushes: PushDispatcher?
    private let clock: any WallClock
    private let logger: Logger
    private let metrics: (any OutboxMetrics)?
    /// This node's id in lease tokens (`node.counter`).
    private let node: String
    private let lease: Duration
    private let pollInterval: Duration
    private let inFlight = Atomic<Int>(0)
    private let webhooksInFlight = Atomic<Int>(0)
    private let leases = Atomic<Int>(0)

    public init(
        store: any NotificationStore & ConversationStore & AssistStore, sender: NotifyHTTPSender,
        push: PushConfiguration?, presence: any RecipientPresence, clock: any WallClock, logger: Logger,
        metrics: (any OutboxMetrics)? = nil, lease: Duration = OutboxDrainer.defaultLease,
        pollInterval: Duration = OutboxDrainer.defaultPollInterval
    ) {
        self.store = store
        self.sender = sender
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.lease = lease
        self.pollInterval = pollInterval
        node = Identifier.make(prefix: "node")
        webhooks = WebhookDispatcher(store: store, sender: sender, clock: clock, logger: logger, metrics: metrics)
        pushes = push.map {
            PushDispatcher(
                store: store, sender: sender, configuration: $0, presence: presence, clock: clock, logger: logger,
                metrics: metrics)
        }
    }

    public func run() async throws {
        logger.info("outbox drain started", metadata: ["node": "\(node)", "push": "\(pushes != nil)"])
        var lastDepth = ContinuousClock.now - Self.depthInterval
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                var leased = 0
                // Pushes first, and webhooks never take every slot: a receiver that is down
                // costs each attempt its whole timeout, which must not hold up pushes.
                for kind in [OutboxKind.push, .pushRead, .webhook] {
                    var room = Self.maxInFlight - inFlight.load(ordering: .relaxed)
                    if kind == .webhook { room = min(room, Self.maxWebhooksInFlight - webhooksInFlight.load(ordering: .relaxed)) }
                    guard room > 0 else { continue }
                    let (owner, items) = await take(kind, limit: min(room, Self.batchSize))
                    leased += items.count
                    for item in items {
                        inFlight.add(1, ordering: .relaxed)
                        if kind == .webhook { webhooksInFlight.add(1, ordering: .relaxed) }
                        group.addTask {
                            await self.deliver(item, owner: owner)
                            self.inFlight.subtract(1, ordering: .relaxed)
                            if kind == .webhook { self.webhooksInFlight.subtract(1, ordering: .relaxed) }
                        }
                    }
                }
                if ContinuousClock.now - lastDepth >= Self.depthInterval {
                    lastDepth = ContinuousClock.now
                    await reportDepth()
                }
                // A full batch: more may be due right away. Every slot busy: look again as
                // soon as deliveries finish (a short nap, not a whole poll interval, which
                // capped a busy node at 64 deliveries per interval).
                let pause = inFlight.load(ordering: .relaxed) >= Self.maxInFlight
                    || webhooksInFlight.load(ordering: .relaxed) >= Self.maxWebhooksInFlight ? Self.busyPause : pollInterval
                if leased < Self.batchSize { try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) } }
            }
        }
        // Deliveries in flight have finished (the task group waited for them).
        try? await sender.shutdown()
        logger.info("outbox drain stopped", metadata: ["node": "\(node)"])
    }

    /// Leases due items of `kind` under a new lease token: the node's id and a counter, so
    /// that a lease this node lost (a newer message moved a pending push) and took again
    /// is not finished by the delivery of the old one.
    private func take(_ kind: OutboxKind, limit: Int) async -> (owner: String, items: [OutboxItem]) {
        let now = clock.now()
        let owner = node + "." + String(leases.add(1, ordering: .relaxed).newValue)
        var dueBy = now
        // Push items are due `delay` after their newest message. Without Web Push they are
        // taken at once and dropped (subscriptions made while it was on).
        if kind == .push, let pushes { dueBy = now.adding(.zero - pushes.configuration.delay) }
        do {
            return (owner, try await store.leaseOutbox(
                kind: kind, dueBy: dueBy, now: now, owner: owner, until: now.adding(lease), limit: limit))
        } catch {
            logger.warning("could not lease outbox items", metadata: ["kind": "\(kind.rawValue)", "error": "\(error)"])
            return (owner, [])
        }
    }

    private func deliver(_ item: OutboxItem, owner: String) async {
        let outcome: DeliveryOutcome
        switch item.kind {
        case .webhook: outcome = await webhooks.deliver(item)
        case .push: outcome = await pushes?.deliver(item) ?? .finished
        case .pushRead: outcome = await pushes?.deliverRead(item) ?? .finished
        }
        do {
            let held: Bool
            switch outcome {
            case .finished:
                held = try await store.completeOutbox(itemID: item.itemID, owner: owner)
            case .retry(var at):
                // Push items are leased `delay` after their due time: a retry is due at `at`.
                if item.kind == .push, let pushes { at = at.adding(.zero - pushes.configuration.delay) }
                held = try await store.rescheduleOutbox(itemID: item.itemID, owner: owner, dueAt: at, attempts: item.attempts + 1)
            }
            if !held {
                logger.notice(
                    "outbox item was taken over before its delivery finished (a newer message, or another node after the lease ended)",
                    metadata: ["item": "\(item.itemID)", "kind": "\(item.kind.rawValue)"])
            }
        } catch {
            // The lease runs out and another look takes the item again.
            logger.warning("could not record an outbox result", metadata: ["item": "\(item.itemID)", "error": "\(error)"])
        }
    }

    private func reportDepth() async {
        guard let metrics else { return }
        do {
            let depth = try await store.outboxDepth()
            let now = clock.now().millisecondsSince1970
            // Overdue since each item's due time: a push's is `delay` after its `dueAt`, so
            // one still waiting out its delay is 0 s overdue, not as old as its message.
            let pushDelay = pushes?.configuration.delay ?? .zero
            let overdue = [
                depth.oldestDueAt.map { now - $0.millisecondsSince1970 },
                depth.oldestPushDueAt.map { now - $0.adding(pushDelay).millisecondsSince1970 },
            ].compactMap { $0 }.max() ?? 0
            metrics.recordDepth(pending: depth.pending, oldestAgeSeconds: Double(max(0, overdue)) / 1000)
        } catch {
            logger.warning("could not read the outbox depth", metadata: ["error": "\(error)"])
        }
    }
}
