import ParleyCore
import ParleyTestSupport
import Testing

/// Every `StoreBehaviour` on PostgreSQL (a new database per test). Skipped, not failed,
/// when no PostgreSQL is configured: a plain `swift test` on a machine without one still
/// runs the SQLite half. scripts/test.sh starts a PostgreSQL and sets the variable, so
/// there these always run.
@Suite(
    .enabled(
        if: ThrowawayPostgres.serverURL != nil,
        "needs PARLEY_TEST_POSTGRES_URL (scripts/test.sh starts a PostgreSQL and sets it)"))
struct PostgresStoreTests {
    @Test func creatingTheSameThreadTwiceReturnsTheFirst() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.creatingTheSameThreadTwiceReturnsTheFirst)
    }

    @Test func seqStartsAtOneAndIsGapFreeUnderConcurrentSends() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.seqStartsAtOneAndIsGapFreeUnderConcurrentSends)
    }

    @Test func aRepeatedClientMessageIDReturnsTheFirstMessage() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.aRepeatedClientMessageIDReturnsTheFirstMessage)
    }

    @Test func pagesGoNewestBeforeAndAfterWithHasMore() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.pagesGoNewestBeforeAndAfterWithHasMore)
    }

    @Test func readPositionsGiveReadByAndUnreadCounts() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.readPositionsGiveReadByAndUnreadCounts)
    }

    @Test func aMessageFromABuyerOrSellerReopensAClosedConversation() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.aMessageFromABuyerOrSellerReopensAClosedConversation)
    }

    @Test func authorizationRunsInsideTheWriteAndARefusalWritesNothing() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.authorizationRunsInsideTheWriteAndARefusalWritesNothing)
    }

    @Test func updatesChangeSharedStateAndArchiveIsPerUser() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.updatesChangeSharedStateAndArchiveIsPerUser)
    }

    @Test func inboxListsNewestActivityFirstWithFiltersAndStablePages() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.inboxListsNewestActivityFirstWithFiltersAndStablePages)
    }

    @Test func inboxPagesNeitherSkipNorRepeatWhileMessagesArrive() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.inboxPagesNeitherSkipNorRepeatWhileMessagesArrive)
    }

    @Test func aFirstMessageIsPostedWithTheCreate() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.aFirstMessageIsPostedWithTheCreate)
    }

    @Test func searchFoldsAccentsAndWordFormsAndShowsOnlyWhatTheViewerMaySee() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.searchFoldsAccentsAndWordFormsAndShowsOnlyWhatTheViewerMaySee)
    }

    @Test func searchFiltersNeverWidenTheViewersScope() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.searchFiltersNeverWidenTheViewersScope)
    }

    @Test func aReadThatDoesNotMoveThePositionWritesNothing() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.aReadThatDoesNotMoveThePositionWritesNothing)
    }

    @Test func supportAgentsAreKnownOnceRecordedAndComparedAsBytes() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.supportAgentsAreKnownOnceRecordedAndComparedAsBytes)
    }

    @Test func resumeReturnsVisibleMessagesAfterAPositionInCommitOrder() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.resumeReturnsVisibleMessagesAfterAPositionInCommitOrder)
    }

    @Test func aWriteTheDatabaseRefusesFailsAloneAndPositionsStayGapFree() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.aWriteTheDatabaseRefusesFailsAloneAndPositionsStayGapFree)
    }

    @Test func pagesByPositionCoverALongBacklogExactlyOnceAndOnlyWhatTheUserSees() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.pagesByPositionCoverALongBacklogExactlyOnceAndOnlyWhatTheUserSees)
    }

    @Test func aStoredValueNoVersionWritesIsAnErrorNotADefault() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.aStoredValueNoVersionWritesIsAnErrorNotADefault)
    }

    @Test func templatesAreSavedReplacedListedAndDeleted() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.templatesAreSavedReplacedListedAndDeleted)
    }

    @Test func faqEntriesKeepTheirCountsOnReplaceAndLoseTheirVerdictsOnDelete() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.faqEntriesKeepTheirCountsOnReplaceAndLoseTheirVerdictsOnDelete)
    }

    @Test func faqVectorsRoundTripByteForByte() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.faqVectorsRoundTripByteForByte)
    }

    @Test func assistSettingsDefaultToAutoAnswerAndNamesAreRemembered() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.assistSettingsDefaultToAutoAnswerAndNamesAreRemembered)
    }

    @Test func screeningAppliesToBuyersAndSellersAndMasksOnlyBeforeAnOrder() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.screeningAppliesToBuyersAndSellersAndMasksOnlyBeforeAnOrder)
    }

    @Test func aSentimentIsRewrittenAloneAndUnknownMessagesAreIgnored() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.aSentimentIsRewrittenAloneAndUnknownMessagesAreIgnored)
    }

    @Test func theEscalatedFilterListsOnlyEscalatedConversations() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.theEscalatedFilterListsOnlyEscalatedConversations)
    }

    @Test func messageAnnotationsRoundTripThroughEveryRead() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.messageAnnotationsRoundTripThroughEveryRead)
    }

    @Test func recentRepliesPairEachReplyWithTheBuyerMessageBeforeIt() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.recentRepliesPairEachReplyWithTheBuyerMessageBeforeIt)
    }

    @Test func aStoredAssistValueNoVersionWritesIsAnErrorNotADefault() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.aStoredAssistValueNoVersionWritesIsAnErrorNotADefault)
    }

    @Test func anUploadIsClaimedOnceByItsUploadersMessageInItsConversation() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.anUploadIsClaimedOnceByItsUploadersMessageInItsConversation)
    }

    @Test func searchFindsAttachmentsByCaptionAndFileName() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.searchFindsAttachmentsByCaptionAndFileName)
    }

    @Test func unsentUploadsAreRemovedWithTheBlobsNothingElseUses() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.unsentUploadsAreRemovedWithTheBlobsNothingElseUses)
    }

    @Test func aSharedKeyIsStoredOnceAndTheSameForEveryCaller() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.aSharedKeyIsStoredOnceAndTheSameForEveryCaller)
    }

    @Test func webhooksAreSavedListedRotatedDisabledAndDeleted() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.webhooksAreSavedListedRotatedDisabledAndDeleted)
    }

    @Test func conversationWritesQueueOneItemPerSubscribedEnabledWebhook() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.conversationWritesQueueOneItemPerSubscribedEnabledWebhook)
    }

    @Test func escalationsAndTicketsQueueTheirEventsAndTheTicketIsKept() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.escalationsAndTicketsQueueTheirEventsAndTheTicketIsKept)
    }

    @Test func pushesGoToSubscribedRecipientsButNeverTheSenderOnePerConversation() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.pushesGoToSubscribedRecipientsButNeverTheSenderOnePerConversation)
    }

    @Test func aNewerMessageTakesAPushBackFromTheNodeDeliveringTheOlderOne() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.aNewerMessageTakesAPushBackFromTheNodeDeliveringTheOlderOne)
    }

    @Test func leasesNeverOverlapAndALostLeaseNeitherCompletesNorReschedules() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.leasesNeverOverlapAndALostLeaseNeitherCompletesNorReschedules)
    }

    @Test func deletingOrDisablingAWebhookDropsItsPendingItems() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.deletingOrDisablingAWebhookDropsItsPendingItems)
    }

    @Test func aPushSubscriptionMovesToItsNewOwnerAndRemembersWhatWasPushed() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.aPushSubscriptionMovesToItsNewOwnerAndRemembersWhatWasPushed)
    }

    @Test func deliveriesAreListedNewestFirstAndPruned() async throws {
        try await StoreKind.postgres.withStore(StoreBehaviour.deliveriesAreListedNewestFirstAndPruned)
    }
}
