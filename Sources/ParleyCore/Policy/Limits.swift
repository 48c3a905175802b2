/// Every size the server bounds, with the reason for its value.
public enum Limits {
    /// Message content in UTF-8 bytes (contract): long enough for any chat message,
    /// small enough that a page of 200 stays under a few MiB.
    public static let maxContentBytes = 16_384
    /// Whole HTTP request body (contract): a create with 20 participants, labels and a
    /// first message fits many times over.
    public static let maxRequestBodyBytes = 1_048_576
    /// Participants per conversation (contract: 2 to 20); a marketplace thread is a
    /// buyer, a seller and a few agents.
    public static let minParticipants = 2
    public static let maxParticipants = 20
    /// User ids (contract: the `sub` claim is 1 to 128 characters).
    public static let maxUserIDLength = 128
    /// Labels per conversation: enough for any triage scheme, bounded so a list row stays small.
    public static let maxLabels = 20
    /// One label: a short tag, not a note.
    public static let maxLabelLength = 64
    /// Product, order and client message ids: marketplace keys, not free text.
    public static let maxExternalIDLength = 128
    /// Subject: a line, not a message.
    public static let maxSubjectLength = 256
    /// Page sizes (contract): messages and conversations default 50, at most 200.
    public static let defaultPageSize = 50
    public static let maxPageSize = 200
    /// Search pages (contract): default 20, at most 100.
    public static let defaultSearchPageSize = 20
    public static let maxSearchPageSize = 100
    /// A search query, in characters: a sentence, not a document.
    public static let maxSearchQueryLength = 256
    /// Writes per user per second, sustained, and the burst above it: far beyond any
    /// human typist, low enough that one broken client cannot starve the writer.
    public static let userWritesPerSecond = 50.0
    public static let userWriteBurst = 200.0
}
