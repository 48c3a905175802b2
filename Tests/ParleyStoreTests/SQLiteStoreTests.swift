import ParleyCore
import Testing

/// Every `StoreBehaviour` on SQLite (a new database file per test).
@Suite struct SQLiteStoreTests {
    @Test func creatingTheSameThreadTwiceReturnsTheFirst() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.creatingTheSameThreadTwiceReturnsTheFirst)
    }

    @Test func seqStartsAtOneAndIsGapFreeUnderConcurrentSends() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.seqStartsAtOneAndIsGapFreeUnderConcurrentSends)
    }

    @Test func aRepeatedClientMessageIDReturnsTheFirstMessage() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.aRepeatedClientMessageIDReturnsTheFirstMessage)
    }

    @Test func pagesGoNewestBeforeAndAfterWithHasMore() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.pagesGoNewestBeforeAndAfterWithHasMore)
    }

    @Test func readPositionsGiveReadByAndUnreadCounts() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.readPositionsGiveReadByAndUnreadCounts)
    }

    @Test func aMessageFromABuyerOrSellerReopensAClosedConversation() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.aMessageFromABuyerOrSellerReopensAClosedConversation)
    }

    @Test func authorizationRunsInsideTheWriteAndARefusalWritesNothing() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.authorizationRunsInsideTheWriteAndARefusalWritesNothing)
    }

    @Test func updatesChangeSharedStateAndArchiveIsPerUser() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.updatesChangeSharedStateAndArchiveIsPerUser)
    }

    @Test func inboxListsNewestActivityFirstWithFiltersAndStablePages() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.inboxListsNewestActivityFirstWithFiltersAndStablePages)
    }

    @Test func inboxPagesNeitherSkipNorRepeatWhileMessagesArrive() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.inboxPagesNeitherSkipNorRepeatWhileMessagesArrive)
    }

    @Test func aFirstMessageIsPostedWithTheCreate() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.aFirstMessageIsPostedWithTheCreate)
    }

    @Test func searchFoldsAccentsAndWordFormsAndShowsOnlyWhatTheViewerMaySee() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.searchFoldsAccentsAndWordFormsAndShowsOnlyWhatTheViewerMaySee)
    }

    @Test func searchFiltersNeverWidenTheViewersScope() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.searchFiltersNeverWidenTheViewersScope)
    }

    @Test func aReadThatDoesNotMoveThePositionWritesNothing() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.aReadThatDoesNotMoveThePositionWritesNothing)
    }

    @Test func supportAgentsAreKnownOnceRecordedAndComparedAsBytes() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.supportAgentsAreKnownOnceRecordedAndComparedAsBytes)
    }

    @Test func resumeReturnsVisibleMessagesAfterAPositionInCommitOrder() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.resumeReturnsVisibleMessagesAfterAPositionInCommitOrder)
    }

    @Test func aWriteTheDatabaseRefusesFailsAloneAndPositionsStayGapFree() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.aWriteTheDatabaseRefusesFailsAloneAndPositionsStayGapFree)
    }

    @Test func pagesByPositionCoverALongBacklogExactlyOnceAndOnlyWhatTheUserSees() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.pagesByPositionCoverALongBacklogExactlyOnceAndOnlyWhatTheUserSees)
    }

    @Test func aStoredValueNoVersionWritesIsAnErrorNotADefault() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.aStoredValueNoVersionWritesIsAnErrorNotADefault)
    }

    @Test func templatesAreSavedReplacedListedAndDeleted() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.templatesAreSavedReplacedListedAndDeleted)
    }

    @Test func faqEntriesKeepTheirCountsOnReplaceAndLoseTheirVerdictsOnDelete() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.faqEntriesKeepTheirCountsOnReplaceAndLoseTheirVerdictsOnDelete)
    }

    @Test func faqVectorsRoundTripByteForByte() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.faqVectorsRoundTripByteForByte)
    }

    @Test func assistSettingsDefaultToAutoAnswerAndNamesAreRemembered() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.assistSettingsDefaultToAutoAnswerAndNamesAreRemembered)
    }

    @Test func screeningAppliesToBuyersAndSellersAndMasksOnlyBeforeAnOrder() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.screeningAppliesToBuyersAndSellersAndMasksOnlyBeforeAnOrder)
    }

    @Test func aSentimentIsRewrittenAloneAndUnknownMessagesAreIgnored() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.aSentimentIsRewrittenAloneAndUnknownMessagesAreIgnored)
    }

    @Test func theEscalatedFilterListsOnlyEscalatedConversations() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.theEscalatedFilterListsOnlyEscalatedConversations)
    }

    @Test func messageAnnotationsRoundTripThroughEveryRead() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.messageAnnotationsRoundTripThroughEveryRead)
    }

    @Test func recentRepliesPairEachReplyWithTheBuyerMessageBeforeIt() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.recentRepliesPairEachReplyWithTheBuyerMessageBeforeIt)
    }

    @Test func aStoredAssistValueNoVersionWritesIsAnErrorNotADefault() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.aStoredAssistValueNoVersionWritesIsAnErrorNotADefault)
    }

    @Test func anUploadIsClaimedOnceByItsUploadersMessageInItsConversation() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.anUploadIsClaimedOnceByItsUploadersMessageInItsConversation)
    }

    @Test func searchFindsAttachmentsByCaptionAndFileName() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.searchFindsAttachmentsByCaptionAndFileName)
    }

    @Test func unsentUploadsAreRemovedWithTheBlobsNothingElseUses() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.unsentUploadsAreRemovedWithTheBlobsNothingElseUses)
    }

    @Test func aSharedKeyIsStoredOnceAndTheSameForEveryCaller() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.aSharedKeyIsStoredOnceAndTheSameForEveryCaller)
    }

    @Test func webhooksAreSavedListedRotatedDisabledAndDeleted() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.webhooksAreSavedListedRotatedDisabledAndDeleted)
    }

    @Test func conversationWritesQueueOneItemPerSubscribedEnabledWebhook() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.conversationWritesQueueOneItemPerSubscribedEnabledWebhook)
    }

    @Test func escalationsAndTicketsQueueTheirEventsAndTheTicketIsKept() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.escalationsAndTicketsQueueTheirEventsAndTheTicketIsKept)
    }

    @Test func pushesGoToSubscribedRecipientsButNeverTheSenderOnePerConversation() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.pushesGoToSubscribedRecipientsButNeverTheSenderOnePerConversation)
    }

    @Test func aNewerMessageTakesAPushBackFromTheNodeDeliveringTheOlderOne() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.aNewerMessageTakesAPushBackFromTheNodeDeliveringTheOlderOne)
    }

    @Test func leasesNeverOverlapAndALostLeaseNeitherCompletesNorReschedules() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.leasesNeverOverlapAndALostLeaseNeitherCompletesNorReschedules)
    }

    @Test func deletingOrDisablingAWebhookDropsItsPendingItems() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.deletingOrDisablingAWebhookDropsItsPendingItems)
    }

    @Test func aPushSubscriptionMovesToItsNewOwnerAndRemembersWhatWasPushed() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.aPushSubscriptionMovesToItsNewOwnerAndRemembersWhatWasPushed)
    }

    @Test func deliveriesAreListedNewestFirstAndPruned() async throws {
        try await StoreKind.sqlite.withStore(StoreBehaviour.deliveriesAreListedNewestFirstAndPruned)
    }
}
