import Synchronization

/// How much of one core the sentence encoder may take for sentiment, over time: a budget
/// of encoder time that refills as the clock runs. The review of stored messages and
/// `POST /api/assist/sentiment` draw on the same budget; past it they read with the
/// lexicon alone (its rules and word head, microseconds), so neither a send burst nor one caller of the endpoint
/// takes a core from the senders.
public final class EncoderBudget: Sendable {
    /// The share of one core: at about 2.5 ms a message, some 40 messages a second.
    public static let share = 0.1
    /// Encoder time that may be spent at once before the share applies.
    static let burst: Duration = .milliseconds(200)

    private let state = Mutex((left: EncoderBudget.burst, at: ContinuousClock.now))

    public init() {}

    /// Refills the budget for the time gone by; whether some is left.
    public func mayUse() -> Bool {
        let now = ContinuousClock.now
        return state.withLock { state in
            state.left = min(Self.burst, state.left + (now - state.at) * Self.share)
            state.at = now
            return state.left > .zero
        }
    }

    /// Runs `work` (an encoder reading) and charges its time to the budget.
    public func spend<Value>(_ work: () -> Value) -> Value {
        let started = ContinuousClock.now
        let value = work()
        let spent = ContinuousClock.now - started
        state.withLock { $0.left -= spent }
        return value
    }
}
