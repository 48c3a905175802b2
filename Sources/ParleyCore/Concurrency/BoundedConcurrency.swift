/// Runs `body` for each of `items` in child tasks, at most `limit` at a time, and returns
/// when all have finished. For fan-outs of independent round trips (a store read, a
/// Redis call per item) where one slow item must not hold up the rest, and thousands of
/// items must not open thousands of requests at once.
public func forEachConcurrently<Item: Sendable>(
    _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async -> Void
) async {
    await withTaskGroup(of: Void.self) { group in
        var running = 0
        for item in items {
            if running >= max(1, limit) {
                await group.next()
                running -= 1
            }
            group.addTask { await body(item) }
            running += 1
        }
    }
}
