import ArgumentParser
import Foundation
import Logging
import ParleyCore
import ParleySQLite
import ServiceLifecycle

/// Search over a generated marketplace: builds a database of N Spanish and English
/// messages through the real store (index written with each message), then times each
/// kind of query.
struct SearchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Index build rate and query latency (p50/p95) over generated messages.")

    @Option(help: "Messages to generate.")
    var messages = 1_000_000

    @Option(help: "Messages per conversation.")
    var perConversation = 100

    @Option(help: "Where to build the database (a new file).")
    var database = "./parley-search-bench.sqlite"

    @Option(help: "Queries of each kind to time.")
    var queries = 200

    @Flag(help: "Time queries on an existing database built by an earlier run instead of building one.")
    var reuse = false

    func run() async throws {
        guard (1...5_000_000).contains(messages), (1...10_000).contains(perConversation), (1...10_000).contains(queries) else {
            throw ValidationError("messages 1–5000000, per-conversation 1–10000, queries 1–10000")
        }
        guard reuse == FileManager.default.fileExists(atPath: database) else {
            throw ValidationError(reuse ? "--database \(database) does not exist" : "--database \(database) exists; give a new path or --reuse")
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let store = try SQLiteConversationStore(path: database, logger: logger)
        let group = ServiceGroup(services: [store], gracefulShutdownSignals: [], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            if !reuse { try await build(store) }
            try await time(store)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    private func build(_ store: SQLiteConversationStore) async throws {
        let conversations = (messages + perConversation - 1) / perConversation
        print("building \(messages) messages in \(conversations) conversations at \(database)")
        let start = ContinuousClock.now
        var ids: [String] = []
        for index in 0..<conversations {
            let participants = [Participant(userID: "buyer\(index)", role: .buyer), Participant(userID: "seller\(index % 500)", role: .seller)]
            let created = try await store.createConversation(
                NewConversation(
                    conversationID: Identifier.make(prefix: "c"),
                    threadKey: ThreadKey.make(participantIDs: participants.map(\.userID), productID: nil, orderID: "o\(index)"),
                    participants: participants, productID: nil, orderID: "o\(index)", subject: nil, labels: [],
                    priority: .medium, now: SystemWallClock().now(), firstMessage: nil))
            ids.append(created.conversation.conversationID)
        }
        let writers = 64
        let total = messages
        let perConversation = perConversation
        let shared = ids
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var generator = SeededGenerator(seed: UInt64(writer + 1))
                    var index = writer
                    while index < total {
                        let conversation = index / perConversation
                        _ = try await store.appendMessage(
                            NewMessage(
                                messageID: Identifier.make(prefix: "m"), conversationID: shared[conversation],
                                senderID: index.isMultiple(of: 2) ? "buyer\(conversation)" : "seller\(conversation % 500)",
                                content: MarketplaceText.sentence(using: &generator), type: .text, clientMessageID: nil,
                                now: SystemWallClock().now()))
                        index += writers
                    }
                }
            }
            try await group.waitForAll()
        }
        let stored = (ContinuousClock.now - start).seconds
        // The index trails the sends (`SearchIndexer`): wait until it holds every message.
        try await store.indexPendingMessagesForSearch()
        let elapsed = (ContinuousClock.now - start).seconds
        print(
            String(
                format: "stored %d messages in %.1f s = %.0f messages/s (group commit, 64 writers); all indexed after %.1f s = %.0f messages/s",
                messages, stored, Double(messages) / stored, elapsed, Double(messages) / elapsed))
    }

    private func time(_ store: SQLiteConversationStore) async throws {
        let kinds: [(String, [String], Bool)] = [
            ("one word, no accent (envio)", ["envio", "pedido", "factura", "talla", "devolucion"], false),
            ("English word form (shipping)", ["shipping", "refunds", "delivered", "ordered", "returns"], false),
            ("two words (envio lunes)", ["envio lunes", "pedido roto", "talla grande", "refund order", "factura pedido"], false),
            ("prefix (envi*)", ["envi*", "fact*", "devol*", "ship*", "tall*"], false),
            ("seller's view, one word", ["envio", "pedido", "factura", "talla", "devolucion"], true),
        ]
        for (name, texts, asSeller) in kinds {
            var durations: [Duration] = []
            var found = 0
            for index in 0..<queries {
                let query = SearchQuery(
                    viewerID: asSeller ? "seller\(index % 500)" : "agent", viewerSeesEverything: !asSeller,
                    terms: TextAnalyzer.queryTerms(texts[index % texts.count]), limit: 20)
                let start = ContinuousClock.now
                let page = try await store.search(query)
                durations.append(ContinuousClock.now - start)
                found += page.messages.count
            }
            durations.sort()
            func ms(_ value: Duration) -> String { String(format: "%.2f ms", value.seconds * 1000) }
            print(
                "\(name): p50 \(ms(durations[durations.count / 2]))  p95 \(ms(durations[durations.count * 95 / 100]))  "
                    + "max \(ms(durations.last!))  (\(queries) queries, \(found / queries) results each on average)")
        }
    }
}
