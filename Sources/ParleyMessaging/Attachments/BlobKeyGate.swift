/// One holder at a time per blob key on this node: an upload holds its key while it
/// writes the bytes and saves the record, the janitor while it checks that no record
/// uses the key and deletes the bytes. Without it, the same bytes uploaded again just as
/// their unsent copy expires could be deleted under the new record.
///
/// It orders this node only: with several nodes on one object store, the same race
/// across two nodes remains possible (see docs/attachments.md, "Known limits").
actor BlobKeyGate {
    private var held: [String: [CheckedContinuation<Void, Never>]] = [:]

    func withKey<T: Sendable>(_ key: String, _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(key)
        do {
            let result = try await body()
            release(key)
            return result
        } catch {
            release(key)
            throw error
        }
    }

    private func acquire(_ key: String) async {
        if held[key] == nil {
            held[key] = []
            return
        }
        await withCheckedContinuation { continuation in held[key, default: []].append(continuation) }
    }

    private func release(_ key: String) {
        guard var waiting = held[key], !waiting.isEmpty else {
            held[key] = nil
            return
        }
        let next = waiting.removeFirst()
        held[key] = waiting
        next.resume()
    }
}
