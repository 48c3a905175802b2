/// What the learned confidence (`FAQConfidenceModel`) knows about a message's best FAQ
/// entry: its scores, its lead, what of the message it leaves unexplained, and how close
/// the message is to something no FAQ answers (`OutOfScopeIntents`).
public struct FAQMatchFeatures: Sendable, Equatable {
    /// The best entry's fused score.
    public var score: Double
    /// Its lexical score.
    public var lexical: Double
    /// Its semantic score.
    public var semantic: Double
    /// Its lead over the best entry that gives a different answer.
    public var margin: Double
    /// 1 when the entry is written in the message's language (or either is unknown), 0
    /// when in the other one: cross-language scores are semantic alone and run lower.
    public var sameLanguage: Double
    /// Content words of the message that the entry does not contain but other entries
    /// of the FAQ do (same language only): a sign the message asks about something else.
    public var uncoveredKnown: Double
    /// Content words of the message that no entry of the FAQ contains, by inverse
    /// document frequency (same language only): "descuento", "cobrado", a product name.
    public var uncoveredUnknown: Double
    /// The best cosine between a part of the message and an out-of-scope intent.
    public var outOfScope: Double
    /// `outOfScope` minus the best entry's semantic score: above zero when the message
    /// is closer to something no FAQ answers than to its best entry.
    public var outOfScopeLead: Double
    /// The message's content words, capped at `maximumWords`.
    public var messageWords: Double

    /// Beyond this many content words a message is simply long.
    public static let maximumWords = 20.0

    public init(
        score: Double, lexical: Double, semantic: Double, margin: Double, sameLanguage: Double, uncoveredKnown: Double,
        uncoveredUnknown: Double, outOfScope: Double, outOfScopeLead: Double, messageWords: Double
    ) {
        self.score = score
        self.lexical = lexical
        self.semantic = semantic
        self.margin = margin
        self.sameLanguage = sameLanguage
        self.uncoveredKnown = uncoveredKnown
        self.uncoveredUnknown = uncoveredUnknown
        self.outOfScope = outOfScope
        self.outOfScopeLead = outOfScopeLead
        self.messageWords = messageWords
    }

    /// The names of `values`, in order: the columns of `FAQConfidenceModel.weights`.
    public static let names = [
        "score", "lexical", "semantic", "margin", "sameLanguage", "uncoveredKnown", "uncoveredUnknown", "outOfScope",
        "outOfScopeLead", "messageWords",
    ]

    public var values: [Double] {
        [score, lexical, semantic, margin, sameLanguage, uncoveredKnown, uncoveredUnknown, outOfScope, outOfScopeLead, messageWords]
    }
}
