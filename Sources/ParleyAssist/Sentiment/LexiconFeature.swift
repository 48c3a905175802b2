/// The features of a ``LexiconReading``, in their order (the raw value is the index). The
/// order is part of the classifier head's trained weights: append new features at the
/// end, never reorder or remove one.
public enum LexiconFeature: Int, CaseIterable, Sendable {
    /// The lexicon's score, -1…1.
    case score
    /// How much praise, weighted, squashed to 0…1.
    case positiveMass
    /// How much complaint, weighted, squashed to 0…1.
    case negativeMass
    /// 1 when fraud, dispute, threat or insult vocabulary is used (not negated, not conceded).
    case strongNegative
    /// Negations that turned a judgement around: 0, 0.5, 1 for none, one, two or more.
    case negation
    /// 1 when a contrast ("pero", "but", "aunque") splits the message.
    case contrast
    /// The valence of what comes after the last contrast (the whole message without one),
    /// squashed to -1…1.
    case finalClauseValence
    /// Intensified judgements ("muy", "really", CAPS, "!!!"), 0…1.
    case intensity
    /// Positive emoji and emoticons, 0…1.
    case positiveEmoji
    /// Negative emoji and emoticons, 0…1.
    case negativeEmoji
    /// Exclamation marks, 0…1 (three or more is 1).
    case exclamation
    /// The share of words written in capitals.
    case shouting
    /// 1 when the message asks something (`?`).
    case question
    /// 1 when praise reads as irony ("genial, otra semana esperando").
    case irony
    /// 1 when the message asks for a person (``HumanRequestDetector``).
    case asksForHuman
    /// 1 when the language guessed is Spanish, 0 for English.
    case spanish
    /// The marketplace's complaint topics (delivery, refund, size, money), 0…1.
    case complaintTopic
    /// 1 when the message thanks or says please.
    case politeness
    /// 1 when a word is elongated ("graciasss", "noooo").
    case elongation
    /// The message's length in words, 0…1 (40 words or more is 1).
    case length
}
