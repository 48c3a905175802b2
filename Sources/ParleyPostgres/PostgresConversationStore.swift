import Foundation
import Logging
import ParleyCore
import PostgresNIO
import ServiceLifecycle

/// `ConversationStore` on PostgreSQL, for several nodes sharing one database.
///
/// Writes go through one `PostgresWriter` per node (group commit); every write batch
/// first locks the `parley_position` row, so batches of all nodes commit one after the
/// other and message positions grow in commit order (resume cursors stay gap-free
/// across nodes). Reads use a pool of connections. The store is a `Service`: put it in
/// the service group (it runs the pool and the writer).
///
/// The algorithms both stores share (inbox pages as of a snapshot, message page anchors,
/// resume windows, row checking) live in `ParleyCore/Store`; this store's files hold its
/// SQL: `+Writes`, `+Reads`, `+Inbox`, `+Search`, `+Rows`, `+Assist` (`AssistStore`), `+Attachments` (`AttachmentStore`) and
/// `+Notifications` (`NotificationStore`). SQL is written one way:
/// `PostgresQuery` string interpolation, which binds every value (`SQLFragment` for the
/// optional parts of a query); only the writer's hot statements are prepared
/// (`Statements/`). Message appends of a batch run together (`+AppendBatch`).
public final class PostgresConversationStore: ConversationStore, Service {
    let client: PostgresClient
    let writer: PostgresWriter
    let logger: Logger
    /// How long a read may wait for the database before the request gets a 503 (the
    /// pool keeps trying to connect meanwhile): the location's `connect_timeout`.
    let readDeadline: Duration
    /// `/ready` answers quickly: a load balancer asks often.
    static let readinessDeadline: Duration = .seconds(1)

    /// Connects, applies pending migrations, and prepares the pool and the writer.
    public init(location: PostgresLocation, logger: Logger) async throws {
        self.logger = logger
        readDeadline = location.connectTimeout
        let connection = try await PostgresConnection.connect(
            configuration: try location.connectionConfiguration(), id: 0, logger: logger)
        do {
            try await PostgresSchema.migrate(connection, logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
        client = PostgresClient(configuration: try location.clientConfiguration(), backgroundLogger: logger)
        writer = PostgresWriter(configuration: try location.connectionConfiguration(), logger: logger) {
            appends, connection, positions in
            try await Self.appendAll(appends, on: connection, positions: positions, logger: logger)
        }
        logger.info("PostgreSQL database ready", metadata: ["database": "\(location)"])
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            group.addTask { await self.writer.run() }
            await group.waitForAll()
        }
    }

    /// Runs `work` on the node's writer, in its next batch (group commit).
    func write<T: Sendable>(
        afterCommit: (@Sendable (T) -> Void)? = nil, _ work: @escaping PostgresWriter.Work<T>
    ) async throws -> T {
        try await writer.write(afterCommit: afterCommit, work)
    }

    /// Runs a read on a pooled connection, within `readDeadline`.
    func read<T: Sendable>(
        deadline: Duration? = nil, _ work: @escaping @Sendable (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        let deadline = deadline ?? readDeadline
        let client = self.client
        let logger = self.logger
        do {
            return try await withDeadline(deadline) {
                try await client.withConnection { connection in try await work(connection, logger) }
            }
        } catch {
            throw PostgresErrors.map(error, logger: logger)
        }
    }
}
