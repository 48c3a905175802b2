import ParleyCore
import Synchronization

/// Buyer messages waiting for the assistant to decide whether it answers them, and the
/// hold that keeps the answer the conversation's next message.
///
/// The contract says an automatic answer comes "before anything else in the
/// conversation". Matching happens after the buyer's message is committed, off the send
/// path; meanwhile other sends to that conversation on this node wait (`waitForTurn`,
/// at most `maxHold`), so the answer takes the next `seq`. Sends elsewhere never wait.
///
/// Only messages to sellers the assistant may answer for are queued and held: the node
/// keeps the store's `AssistDirectory` in memory (sellers with enabled entries, whether
/// global ones exist, sellers who turned answers off), refreshed every
/// `directoryRefreshInterval`, and a change made on this node (`noteChange`) counts at once.
/// So a shop with nothing to answer with costs its buyers one dictionary lookup.
///
/// Concurrency: all state is behind one `Mutex`; `offer` is synchronous because it runs
/// in the store's `afterCommit`, in commit order.
public final class AutoAnswerQueue: Sendable {
    /// Longest a send waits for the assistant: the contract's bound on an automatic
    /// answer (2 s); after it the answer, if any, is dropped rather than blocking people.
    public static let maxHold: Duration = .seconds(2)
    /// Buyer messages waiting at most; past it new ones are not answered, so a burst
    /// cannot grow memory without bound.
    public static let capacity = 1_000
    /// How often the directory is read again: how long a change made on another node
    /// takes to be seen here.
    public static let directoryRefreshInterval: Duration = .seconds(5)
    /// How long a change on this node counts by itself: past two refreshes, the
    /// directory has it.
    static let changeMemory: Duration = directoryRefreshInterval * 2
    /// How often a held send looks whether its turn came.
    static let pollInterval: Duration = .milliseconds(2)

    /// A buyer's message to consider, with the seller it was addressed to.
    public struct Item: Sendable {
        public var message: Message
        public var conversation: Conversation
        public var sellerID: String
    }

    private struct State {
        var held: [String: Int] = [:]
        var waiting = 0
        /// `nil` until first read: then every seller may be answered for.
        var sellersWithEntries: Set<OpaqueID>?
        var hasGlobalEntries = false
        var mutedSellers: Set<OpaqueID> = []
        /// Sellers (and, for `nil`, the global entries) changed on this node lately.
        var changed: [OpaqueID?: ContinuousClock.Instant] = [:]

        func mayAnswer(for seller: OpaqueID, now: ContinuousClock.Instant) -> Bool {
            guard let sellersWithEntries else { return true }
            if let at = changed[seller], now - at < AutoAnswerQueue.changeMemory { return true }
            if mutedSellers.contains(seller) { return false }
            if hasGlobalEntries || sellersWithEntries.contains(seller) { return true }
            if let at = changed[nil], now - at < AutoAnswerQueue.changeMemory { return true }
            return false
        }
    }

    private let state = Mutex(State())
    private let continuation: AsyncStream<Item>.Continuation
    /// The messages to consider, in commit order.
    public let items: AsyncStream<Item>

    public init() {
        (items, continuation) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .unbounded)
    }

    /// Queues `result`'s message when it is a buyer's text in a conversation with a seller
    /// the assistant may answer for, and holds the conversation until `release`. Returns
    /// whether it was queued.
    @discardableResult
    public func offer(_ result: AppendMessageResult) -> Bool {
        let message = result.message
        let conversation = result.conversation
        guard message.type == .text,
            conversation.role(of: message.senderID) == .buyer,
            let seller = conversation.participants.first(where: { $0.role == .seller })
        else { return false }
        let now = ContinuousClock.now
        let queued = state.withLock { state -> Bool in
            guard state.mayAnswer(for: OpaqueID(seller.userID), now: now), state.waiting < Self.capacity else { return false }
            state.waiting += 1
            state.held[conversation.conversationID, default: 0] += 1
            return true
        }
        guard queued else { return false }
        let item = Item(message: message, conversation: conversation, sellerID: seller.userID)
        if case .terminated = continuation.yield(item) {
            // The assistant has stopped (the node is shutting down): nobody will release it.
            release(item)
            return false
        }
        return true
    }

    /// Ends the hold `offer` put on the item's conversation.
    public func release(_ item: Item) {
        state.withLock { state in
            state.waiting -= 1
            let id = item.conversation.conversationID
            if let count = state.held[id], count > 1 { state.held[id] = count - 1 } else { state.held[id] = nil }
        }
    }

    /// Waits while the assistant considers a buyer message of `conversationID`, at most `maxHold`.
    public func waitForTurn(_ conversationID: String) async {
        guard isHeld(conversationID) else { return }
        let deadline = ContinuousClock.now + Self.maxHold
        while isHeld(conversationID), ContinuousClock.now < deadline {
            try? await Task.sleep(for: Self.pollInterval)
        }
    }

    /// Whether the assistant is considering a buyer message of `conversationID`.
    public func isHeld(_ conversationID: String) -> Bool {
        state.withLock { $0.held[conversationID] != nil }
    }

    /// Takes the store's directory as read now.
    public func update(_ directory: AssistDirectory) {
        let sellers = Set(directory.sellersWithEntries.map(OpaqueID.init))
        let muted = Set(directory.mutedSellers.map(OpaqueID.init))
        let now = ContinuousClock.now
        state.withLock { state in
            state.sellersWithEntries = sellers
            state.hasGlobalEntries = directory.hasGlobalEntries
            state.mutedSellers = muted
            state.changed = state.changed.filter { now - $0.value < Self.changeMemory }
        }
    }

    /// The seller's entries or settings (or, for `nil`, the global entries) changed on
    /// this node: its buyers are considered until the directory has the change.
    public func noteChange(_ sellerID: String?) {
        let now = ContinuousClock.now
        state.withLock { state in
            if state.changed.count >= Self.capacity { state.changed.removeAll(keepingCapacity: true) }
            state.changed[sellerID.map(OpaqueID.init)] = now
        }
    }

    public func finish() { continuation.finish() }
}
