/// Sizes and counts of what the assist features keep, each with its reason.
public enum AssistLimits {
    /// Templates one owner keeps (personal), and shared ones in all: a picker, not a library;
    /// and suggestions score each of them.
    public static let maxTemplatesPerOwner = 500
    /// FAQ entries per seller, and global ones: matching scores every entry of the seller
    /// and the global ones for each buyer message (p95 under 20 ms at 200).
    public static let maxFAQEntriesPerOwner = 300
    /// A template's or entry's name and question: a line, not a page.
    public static let maxNameBytes = 256
    public static let maxQuestionBytes = 1_024
    /// An answer is posted as a message, so it fits one with room to spare.
    public static let maxAnswerBytes = 4_096
    public static let maxAlternatives = 20
    public static let maxShortcutBytes = 64
    /// Custom values given to render a template.
    public static let maxCustomValues = 50
    public static let maxCustomValueBytes = 1_024
    /// Suggestions offered at most (the contract's 3).
    public static let maxSuggestions = 3
    /// Earlier replies of the caller looked at for history suggestions, and the most
    /// recently active conversations they are taken from: a bounded read per request.
    public static let historyReplies = 40
    public static let historyConversations = 100
    /// Messages looked at, newest first, to find the buyer message waiting for an answer.
    public static let pendingQuestionWindow = 50
}
