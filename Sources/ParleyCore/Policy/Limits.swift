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
    /// User ids, in bytes of UTF-8 (contract: the `sub` claim is 1 to 128 bytes). Every
    /// size here is bytes, never characters: one character (`"a"` and a thousand
    /// combining accents) can be a kilobyte.
    public static let maxUserIDBytes = 128
    /// Labels per conversation: enough for any triage scheme, bounded so a list row stays small.
    public static let maxLabels = 20
    /// One label, in bytes of UTF-8: a short tag, not a note.
    public static let maxLabelBytes = 64
    /// Product, order, conversation and client message ids, in bytes of UTF-8:
    /// marketplace keys, not free text.
    public static let maxExternalIDBytes = 128
    /// Subject, in bytes of UTF-8 (contract): a line, not a message.
    public static let maxSubjectBytes = 512
    /// Page sizes (contract): messages and conversations default 50, at most 200.
    public static let defaultPageSize = 50
    public static let maxPageSize = 200
    /// Search pages (contract): default 20, at most 100.
    public static let defaultSearchPageSize = 20
    public static let maxSearchPageSize = 100
    /// A search query, in bytes of UTF-8 (contract): a sentence, not a document.
    public static let maxSearchQueryBytes = 256
    /// Words in a search query (contract): each word is a posting-list walk.
    public static let maxSearchWords = 16
    /// The shortest prefix term (`ab*`): a one-letter prefix matches most of the index,
    /// and sixteen of them cost sixteen walks over nearly every message.
    public static let minSearchPrefixCharacters = 2
    /// How long a resume cursor is honoured (contract: at least 7 days): older ones get
    /// `cursor_expired`, so a resume never walks more than about this much history.
    public static let resumeCursorLifetime: Duration = .seconds(8 * 24 * 3600)
    /// Writes per user per second, sustained, and the burst above it: far beyond any
    /// human typist, low enough that one broken client cannot starve the writer.
    public static let userWritesPerSecond = 50.0
    public static let userWriteBurst = 200.0

    /// Push endpoints, webhook URLs and ticket links: push services use ~200 characters;
    /// 2 KiB is generous.
    public static let maxURLBytes = 2_048
    /// A ticket request's reason: a paragraph, not a document.
    public static let maxTicketReasonCharacters = 2_000
    /// A help desk's ticket id (`ZD-1234`).
    public static let maxTicketIDCharacters = 200
}
