/// Positions handed out inside one write batch. The batch holds the row lock of
/// `parley_position` from before it hands out the first position to its commit, so
/// positions are unique across every node and grow in commit order (resume depends on
/// that). A write that fails gives its positions back, so committed messages have
/// gap-free positions.
///
/// Used by one batch at a time, on the writer's task only.
final class PositionCounter {
    private(set) var last: Int64
    let committed: Int64
    /// What the `parley_position` row holds now, inside the batch's transaction.
    private(set) var saved: Int64

    init(committed: Int64) {
        self.committed = committed
        last = committed
        saved = committed
    }

    func next() -> Int64 {
        last += 1
        return last
    }

    func rewind(to value: Int64) { last = value }

    /// A statement of the batch wrote `last` to the `parley_position` row.
    func stored() { saved = last }
}
