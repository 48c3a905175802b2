import Logging
import ParleyCore
import ParleyPostgres
import ParleyTestSupport
import Testing

/// The audit log's storage (`StoreBehaviour+Audit`) on SQLite.
@Suite struct SQLiteAuditStoreTests {
    @Test func auditIndexesAreGapFreeFromZeroAndLeavesRoundTripExactly() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.auditIndexesAreGapFreeFromZeroAndLeavesRoundTripExactly)
    }

    @Test func anAuditCheckpointIsReplacedOnlyByALargerOne() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.anAuditCheckpointIsReplacedOnlyByALargerOne)
    }

    @Test func concurrentAuditAppendsAreGapFreeAndEachGetsItsOwnLeaves() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.concurrentAuditAppendsAreGapFreeAndEachGetsItsOwnLeaves)
    }

    @Test func conversationWritesAppendTheirLeavesOnlyWhenTheyChangeSomething() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.conversationWritesAppendTheirLeavesOnlyWhenTheyChangeSomething)
    }

    @Test func aRefusedWriteLeavesNoLeafAndNoGap() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.aRefusedWriteLeavesNoLeafAndNoGap)
    }

    @Test func webhookAndFAQChangesAppendExactlyTheirLeafWithTheChange() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.webhookAndFAQChangesAppendExactlyTheirLeafWithTheChange)
    }

    @Test func aRefusedWebhookOrFAQChangeOrLeafLeavesNeither() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.aRefusedWebhookOrFAQChangeOrLeafLeavesNeither)
    }
}

/// The same on PostgreSQL, and several nodes appending to one log.
@Suite(
    .enabled(
        if: ThrowawayPostgres.serverURL != nil,
        "needs PARLEY_TEST_POSTGRES_URL (scripts/test.sh starts a PostgreSQL and sets it)"))
struct PostgresAuditStoreTests {
    @Test func auditIndexesAreGapFreeFromZeroAndLeavesRoundTripExactly() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.auditIndexesAreGapFreeFromZeroAndLeavesRoundTripExactly)
    }

    @Test func anAuditCheckpointIsReplacedOnlyByALargerOne() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.anAuditCheckpointIsReplacedOnlyByALargerOne)
    }

    @Test func concurrentAuditAppendsAreGapFreeAndEachGetsItsOwnLeaves() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.concurrentAuditAppendsAreGapFreeAndEachGetsItsOwnLeaves)
    }

    @Test func conversationWritesAppendTheirLeavesOnlyWhenTheyChangeSomething() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.conversationWritesAppendTheirLeavesOnlyWhenTheyChangeSomething)
    }

    @Test func aRefusedWriteLeavesNoLeafAndNoGap() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.aRefusedWriteLeavesNoLeafAndNoGap)
    }

    @Test func webhookAndFAQChangesAppendExactlyTheirLeafWithTheChange() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.webhookAndFAQChangesAppendExactlyTheirLeafWithTheChange)
    }

    @Test func aRefusedWebhookOrFAQChangeOrLeafLeavesNeither() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.aRefusedWebhookOrFAQChangeOrLeafLeavesNeither)
    }

    /// Three nodes (each its own writer connection) append at once: one log, gap-free.
    @Test func threeNodesAppendingAtOnceMakeOneGapFreeLog() async throws {
        try await withPostgresNodes(3) { nodes in try await StoreBehaviour.concurrentAuditAppends(through: nodes) }
    }
}
