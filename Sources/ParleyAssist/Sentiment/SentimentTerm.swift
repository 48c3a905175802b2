/// What the sentiment lexicon knows about one word, stem or phrase: how good or bad it
/// sounds, the language it belongs to, and the parts it plays in the rules.
struct SentimentTerm: Sendable {
    /// The parts a term plays besides its valence.
    struct Roles: OptionSet, Sendable {
        let rawValue: UInt32
        /// Turns the judgement of the next few words around ("no", "nunca", "sin", "not").
        static let negator = Roles(rawValue: 1 << 0)
        /// Scales the next judgement by `multiplier` ("muy", "really"; "un poco" < 1).
        static let intensifier = Roles(rawValue: 1 << 1)
        /// What follows weighs more than what came before ("pero", "but", "however").
        static let contrast = Roles(rawValue: 1 << 2)
        /// Opening a sentence, concedes its first clause ("aunque tardó, llegó perfecto").
        static let concessive = Roles(rawValue: 1 << 3)
        /// Neutral, but a complaint when negated ("no llega", "never arrived", "sin respuesta").
        static let event = Roles(rawValue: 1 << 4)
        /// Thanks and please: polite, not a judgement.
        static let politeness = Roles(rawValue: 1 << 5)
        /// Praise that, said first and followed by a complaint, is ironic ("genial, ...").
        static let sarcasmProne = Roles(rawValue: 1 << 6)
        /// The marketplace's complaint vocabulary (late, broken, refund, no answer).
        static let complaint = Roles(rawValue: 1 << 7)
        /// A unit of waiting time ("días", "semanas", "weeks").
        static let timeUnit = Roles(rawValue: 1 << 8)
        /// Says the writer is still waiting ("llevo", "todavía", "still", "esperando").
        static let waiting = Roles(rawValue: 1 << 9)
        /// "otra", "another": with a time unit, one more of it ("otra semana").
        static let another = Roles(rawValue: 1 << 10)
        /// Opens a hypothetical clause whose judgements are not the writer's ("si", "if").
        static let conditional = Roles(rawValue: 1 << 11)
        /// A comparison that keeps praise under negation ("no podría estar más contenta").
        static let comparative = Roles(rawValue: 1 << 12)
        /// A clitic or auxiliary that negation's scope reaches across ("no me lo han enviado").
        static let scopeTransparent = Roles(rawValue: 1 << 13)
        /// The writer apologises: the sentence admits a fault, it does not complain
        /// ("sorry for the delay", "perdona, me equivoqué de talla").
        static let apology = Roles(rawValue: 1 << 14)
        /// Opening a sentence on its own ("bueno, …", "well, …"), carries no judgement.
        static let discourseMarker = Roles(rawValue: 1 << 15)
        /// Asks the other party to account for something ("¿por qué…?", "why…?"): the
        /// question's complaints, even mild ones, count.
        static let challenge = Roles(rawValue: 1 << 16)
        /// Says something arrived or was sent ("ha llegado", "came"): what it came without
        /// is missing ("ha llegado sin el cargador", "came without the manual").
        static let arrival = Roles(rawValue: 1 << 17)
        /// "sin", "without": after an arrival, what follows is missing.
        static let absence = Roles(rawValue: 1 << 18)
        /// What was ordered, paid for, promised or listed ("pedí", "encargué", "ponía",
        /// "ordered", "paid for", "listed as"): with a report of what came in the same
        /// sentence, the two differ, or the writer would not set them side by side
        /// ("encargué la 40 y me mandaste la 38", "I paid for express and it took 9 days").
        static let expectation = Roles(rawValue: 1 << 19)
        /// What actually came, was sent or charged, in the past ("llegó", "me mandaste",
        /// "cobrado", "got", "sent", "charged", "took"): the other half of an expectation.
        static let report = Roles(rawValue: 1 << 20)
        /// A belief held before the purchase ("esperaba", "pensaba", "expected", "thought",
        /// "looked"): followed by a comparison it is a let-down ("pensaba que sería más
        /// grande", "it looked nicer in the photos").
        static let belief = Roles(rawValue: 1 << 21)
        /// A comparison after a belief ("más", "mejor", "bigger", "nicer", "more").
        static let comparison = Roles(rawValue: 1 << 22)
        /// "solo", "only": before an arrival or a working verb, less came or works than should
        /// ("solo carga si muevo el cable", "only half of it came").
        static let restrictive = Roles(rawValue: 1 << 23)
        /// A verb of working ("funciona", "carga", "suena", "works", "plays") that
        /// `restrictive` limits.
        static let functioning = Roles(rawValue: 1 << 24)
        /// Marks a question as asking about the item rather than complaining ("any…?",
        /// "¿tiene…?", "…o…?"): its defect words describe what is asked about.
        static let inquiry = Roles(rawValue: 1 << 25)
    }

    var valence: Double = 0
    /// The language the term belongs to, nil for both (emoji words, "ok", "top").
    var language: AssistLanguage?
    var roles: Roles = []
    /// For an intensifier, the factor it applies to the next judgement.
    var multiplier: Double = 1
}
