/// Where templates, FAQ entries, their verdicts and sellers' assist settings are kept.
///
/// Both stores implement it next to `ConversationStore` (same database, same suite of
/// store tests). Lists are small by design: the service caps how many templates and
/// entries one owner keeps (`AssistLimits`).
public protocol AssistStore: Sendable {
    /// Inserts the template, or replaces the one with its id.
    func saveTemplate(_ template: MessageTemplate) async throws
    func template(id: String) async throws -> MessageTemplate?
    /// False when there was no such template.
    func deleteTemplate(id: String) async throws -> Bool
    /// `ownerID`'s personal templates and, when `includingShared`, every shared one;
    /// oldest first.
    func templates(ownedBy ownerID: String, includingShared: Bool) async throws -> [MessageTemplate]

    /// Inserts the entry, or replaces the one with its id (keeping its stats), and
    /// appends `audit` (its `faq.created` or `faq.updated` leaf) in the same transaction.
    func saveFAQEntry(_ entry: FAQEntry, audit: [AuditRecord]) async throws
    func faqEntry(id: String) async throws -> FAQEntry?
    /// False when there was no such entry. Its verdicts go with it. `audit` (the
    /// `faq.deleted` leaf) is appended in the same transaction, only when it deleted one.
    func deleteFAQEntry(id: String, audit: [AuditRecord]) async throws -> Bool
    /// The seller's own entries, or the global ones for `nil`; oldest first.
    func faqEntries(ownerID: String?) async throws -> [FAQEntry]
    /// Counts one automatic answer given with the entry.
    func countAutomaticAnswer(faqID: String) async throws
    /// Records `userID`'s verdict on the automatic answer `messageID` given with `faqID`,
    /// replacing an earlier verdict of theirs on it. Returns the earlier verdict.
    func recordFeedback(messageID: String, faqID: String, userID: String, helpful: Bool, now: Timestamp) async throws -> Bool?

    /// Sellers with enabled entries, whether enabled global entries exist, and sellers with
    /// automatic answers off.
    func assistDirectory() async throws -> AssistDirectory

    /// The seller's settings (defaults when never saved).
    func assistSettings(sellerID: String) async throws -> AssistSettings
    func saveAssistSettings(_ settings: AssistSettings, sellerID: String) async throws

    /// The message with `messageID` (its `readBy` left empty), or `nil`. For verdicts on
    /// automatic answers, which name a message by id.
    func storedMessage(id messageID: String) async throws -> Message?

    /// Remembers the display name (`name` claim) `userID` signed in with, replacing an
    /// earlier one. Template variables (`buyer.name`…) read it.
    func recordUserName(_ userID: String, name: String) async throws
    /// The remembered names of those of `userIDs` that have one.
    func userNames(_ userIDs: [String]) async throws -> [String: String]

    /// `userID`'s most recent text replies that came right after a buyer's text message,
    /// in conversations other than `excludingConversation` that `userID` takes part in or
    /// is assigned; newest first, at most `limit`, looking at most at the
    /// `conversationLimit` most recently active of those conversations.
    func recentReplies(
        by userID: String, excludingConversation: String, conversationLimit: Int, limit: Int
    ) async throws
        -> [ReplyPair]
}

/// The FAQ writes with no leaf, for changes no one is recorded as making (tests, tools).
/// The service passes the audit record of the person who made the change.
extension AssistStore {
    public func saveFAQEntry(_ entry: FAQEntry) async throws {
        try await saveFAQEntry(entry, audit: [])
    }

    public func deleteFAQEntry(id: String) async throws -> Bool {
        try await deleteFAQEntry(id: id, audit: [])
    }
}
