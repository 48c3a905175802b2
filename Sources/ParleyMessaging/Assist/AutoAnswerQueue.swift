import ParleyCore
import Synchronization

/// Buyer messages waiting for the assistant to decide whether it answers them, and the
/// hold that keeps the answer the conversation's next message.
///
/// The contract says an automatic answer comes "before anything else in the
/// conversation". Matching happens after the buyer's message is committed, off the send
/// path; meanwhile other sends to that conversation on this node wait (`waitForTurn`,
/// at most `maxHold`), so the answer takes the next `seq`. Sends elsewhere never wait.
/// Sellers known to have nothing to answer with are skipped without a hold (`markIdle`).
///
/// Concurrency: all state is behind one `Mutex`; `offer` is synchronous because it runs
/// in the store's `afterCommit`, in commit order.
public final class AutoAnswerQueue: Sendable {
    /// Longest a send waits for the assistant: the contract's bound on an automatic
    /// answer (2 s); after it the answer, if any, comes later rather than blocking people.
    public static let maxHold: Duration = .seconds(2)
    /// Buyer messages waiting at most; past it new ones are not answered (logged by the
    /// consumer), so a burst cannot grow memory without bound.
    public static let capacity = 1_000
    /// How long a seller found to have no enabled entries (nor global ones) or automatic
    /// answers turned off is skipped. Changes on this node clear it at once.
    public static let idleMemory: Duration = .seconds(5)
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
        var idleSellers: [OpaqueID: ContinuousClock.Instant] = [:]
        var waiting = 0
    }

    private let state = Mutex(State())
    private let continuation: AsyncStream<Item>.Continuation
    /// The messages to consider, in commit order.
    public let items: AsyncStream<Item>

    public init() {
        (items, continuation) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .unbounded)
    }

    /// Queues `result`'s message when it is a buyer's text in a conversation with a seller
    /// whose assistant may answer, and holds the conversation until `release`. Returns
    /// whether it was queued.
    @discardableResult
    public func offer(_ result: AppendMessageResult) -> Bool {
        let message = result.message
        let conversation = result.conversation
        guard message.type == .text,
            conversation.participants.contains(where: { $0.role == .buyer && $0.userID.isSameID(as: message.senderID) }),
            let seller = conversation.participants.first(where: { $0.role == .seller })
        else { return false }
        let now = ContinuousClock.now
        let queued = state.withLock { state -> Bool in
            let key = OpaqueID(seller.userID)
            if let until = state.idleSellers[key] {
                if until > now { return false }
                state.idleSellers[key] = nil
            }
            guard state.waiting < Self.capacity else { return false }
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

    /// Skips the seller's buyers for `idleMemory`: it has nothing to answer with.
    public func markIdle(_ sellerID: String) {
        let until = ContinuousClock.now + Self.idleMemory
        state.withLock { state in
            if state.idleSellers.count >= Self.capacity { state.idleSellers.removeAll(keepingCapacity: true) }
            state.idleSellers[OpaqueID(sellerID)] = until
        }
    }

    /// Forgets that the seller (or, for `nil`, every seller) had nothing to answer with:
    /// its entries or settings changed.
    public func clearIdle(_ sellerID: String?) {
        state.withLock { state in
            if let sellerID { state.idleSellers[OpaqueID(sellerID)] = nil } else { state.idleSellers.removeAll() }
        }
    }

    public func finish() { continuation.finish() }
}
