/// Whether a buyer's message asks for a person instead of the automatic answers ("quiero
/// hablar con una persona", "pásame con alguien de verdad", "talk to a human", "is this a
/// bot?"), one of the contract's reasons to escalate.
///
/// A person word ("persona", "humano", "agente", "supervisor", "human", "representative",
/// "atención al cliente") counts only when it is asked for:
/// - after a verb of talking or being put through ("hablar con", "pásame con", "que me
///   atienda", "talk to", "speak with", "connect me to"), a few words before it;
/// - after a verb of wanting with only articles in between ("quiero una persona", "I need a
///   human", "get me a manager");
/// - or as the whole message, give or take politeness ("un humano por favor", "agente!").
/// Asking whether one is talking to a machine ("¿eres un bot?", "is this a bot") counts
/// too. A person merely mentioned ("la persona que me atendió fue muy amable", "the human
/// body size chart") does not, nor a negated request ("no hace falta hablar con nadie").
public struct HumanRequestDetector: Sendable {
    /// How many words a talking verb may come before the person word ("quiero hablar
    /// directamente con alguna persona real").
    static let talkReach = 5
    /// How many words a wanting verb may come before the person word; only articles and
    /// adjectives may stand between.
    static let wantReach = 3
    /// The most words a message may have, politeness aside, to count as a bare request.
    static let bareRequestWords = 4

    public init() {}

    public func asksForHuman(_ text: String) -> Bool {
        asksForHuman(words: SentimentTokenizer.words(text))
    }

    /// The same, from the folded words ``SentimentTokenizer`` read (elongations squeezed:
    /// "humanooo" → "humano").
    func asksForHuman(words: [String]) -> Bool {
        guard !words.isEmpty else { return false }
        if asksAboutMachine(words) || asksWhetherAnyoneIsThere(words) { return true }
        var index = 0
        var personWords = 0
        var otherWords = 0
        while index < words.count {
            guard let length = personLength(words, at: index) else {
                if !Self.filler.contains(words[index]) { otherWords += 1 }
                index += 1
                continue
            }
            if isRequested(words, personAt: index) { return true }
            personWords += length
            index += length
        }
        // A bare request: nothing but the person, articles and politeness ("un humano por favor").
        if personWords > 0, otherWords == 0, personWords <= Self.bareRequestWords { return true }
        return false
    }

    /// How many words the person word or phrase at `index` spans, nil when there is none.
    private func personLength(_ words: [String], at index: Int) -> Int? {
        if let phrases = Self.personPhrasesByFirstWord[words[index]] {
            for phrase in phrases where index + phrase.count <= words.count {
                if words[index..<index + phrase.count].elementsEqual(phrase) { return phrase.count }
            }
        }
        return Self.personWords.contains(words[index]) ? 1 : nil
    }

    private func isRequested(_ words: [String], personAt index: Int) -> Bool {
        // A talking verb a few words before.
        let talkStart = max(0, index - Self.talkReach)
        for position in stride(from: index - 1, through: talkStart, by: -1) where Self.talkVerbs.contains(words[position]) {
            return !isNegated(words, at: position)
        }
        // A wanting verb with only articles and adjectives in between.
        var position = index - 1
        while position >= 0, index - position <= Self.wantReach + 1 {
            let word = words[position]
            if Self.wantVerbs.contains(word) || word == "que" {
                // "quiero que alguien me llame": the verb of talking comes after the person.
                if word == "que" { return followedByTalk(words, personAt: index) && !isNegated(words, at: position) }
                return !isNegated(words, at: position)
            }
            // "get me a manager", "give me someone".
            if word == "me", position > 0, ["get", "give", "find"].contains(words[position - 1]) { return true }
            guard Self.filler.contains(word) || Self.personAdjectives.contains(word) else { break }
            position -= 1
        }
        return false
    }

    /// Whether a verb of talking follows the person within a few words ("alguien me llame").
    private func followedByTalk(_ words: [String], personAt index: Int) -> Bool {
        let end = min(words.count, index + 1 + Self.wantReach)
        return words[min(end, index + 1)..<end].contains { Self.talkVerbs.contains($0) }
    }

    /// Whether a "no"/"not"/"don't" stands just before the verb at `index`.
    private func isNegated(_ words: [String], at index: Int) -> Bool {
        let start = max(0, index - 2)
        return words[start..<index].contains { Self.negators.contains($0) }
    }

    /// "¿hay alguien ahí?", "is anyone there?", "anybody home?".
    private func asksWhetherAnyoneIsThere(_ words: [String]) -> Bool {
        zip(words, words.dropFirst()).contains { pair in Self.presencePairs.contains([pair.0, pair.1]) }
    }

    /// "¿eres un bot?", "is this a bot", "am I talking to a machine", "no quiero hablar con un robot".
    private func asksAboutMachine(_ words: [String]) -> Bool {
        for (index, word) in words.enumerated() {
            let cues: Set<String>
            if Self.botWords.contains(word) {
                cues = Self.botCues
            } else if Self.machineWords.contains(word) {
                // "robot de cocina", "robot vacuum": a product, not the one answering.
                if index + 1 < words.count, Self.machineProducts.contains(words[index + 1]) { continue }
                cues = Self.machineCues
            } else {
                continue
            }
            if words[max(0, index - Self.talkReach)..<index].contains(where: { cues.contains($0) }) { return true }
        }
        return false
    }

    // MARK: - Words (folded)

    private static let personWords: Set<String> = [
        "persona", "personas", "humano", "humana", "humanos", "alguien", "agente", "agentes", "operador", "operadora",
        "asesor", "asesora", "encargado", "encargada", "responsable", "supervisor", "supervisora", "gerente", "jefe",
        "jefa", "soporte", "human", "humans", "person", "someone", "somebody", "agent", "representative", "rep",
        "operator", "manager", "staff", "employee", "empleado", "trabajador",
    ]

    private static let personPhrases: [[String]] = [
        ["atencion", "al", "cliente"], ["servicio", "al", "cliente"], ["servicio", "de", "atencion"],
        ["customer", "service"], ["customer", "support"], ["customer", "care"], ["live", "agent"], ["live", "chat"],
        ["real", "person"], ["real", "human"], ["actual", "person"], ["actual", "human"], ["de", "carne", "y", "hueso"],
    ]

    private static let personPhrasesByFirstWord: [String: [[String]]] = Dictionary(grouping: personPhrases) { $0[0] }

    private static let personAdjectives: Set<String> = [
        "real", "reales", "de", "verdad", "actual", "live", "human", "humano", "humana", "otra", "otro", "another",
        "other", "your", "vuestro", "vuestra", "tu", "su", "the", "el", "la", "some", "alguna", "algun", "directamente",
    ]

    private static let talkVerbs: Set<String> = [
        // Spanish.
        "hablar", "hable", "hablo", "habla", "hablamos", "pasame", "pasadme", "paseme", "pasar", "pasarme", "pasas",
        "ponme", "ponedme", "pongame", "poneme", "poner", "ponerme", "comunicame", "comunicadme", "comunicar",
        "comunicarme", "contactar", "contacto", "atienda", "atiendan", "atender", "atiendame", "atiendeme",
        "llame", "llamen", "llamar", "conversar", "chatear", "escalar", "escala", "escalad", "transferir",
        "transfiere", "transfiereme", "deriva", "derivame", "derivar", "ayuda", "ayude",
        // English.
        "talk", "talking", "speak", "speaking", "chat", "connect", "transfer", "escalate", "contact", "reach",
        "call", "help", "through",
    ]

    private static let wantVerbs: Set<String> = [
        "quiero", "quisiera", "necesito", "exijo", "pido", "solicito", "queremos", "necesitamos", "dame", "dadme",
        "want", "need", "demand", "request", "requesting", "prefer", "like",
    ]

    /// Articles, politeness and particles a bare request or a wanting verb may carry.
    private static let filler: Set<String> = [
        "un", "una", "el", "la", "a", "an", "the", "por", "favor", "porfa", "porfavor", "please", "pls", "plz",
        "con", "with", "to", "me", "ya", "now", "ahora", "hola", "hi", "hello", "de", "verdad", "real", "actual",
        "ok", "vale", "again", "otra", "vez", "gracias", "thanks", "i", "can", "puedo", "podria", "could", "some",
        "alguna", "algun", "your", "vuestro", "live",
    ]

    private static let presencePairs: Set<[String]> = [
        ["alguien", "ahi"], ["alguien", "ahy"], ["anyone", "there"], ["anybody", "there"], ["anyone", "home"],
        ["anybody", "home"], ["someone", "there"], ["anyone", "alive"],
    ]

    private static let negators: Set<String> = ["no", "not", "dont", "nunca", "never", "sin", "without", "doesnt", "didnt"]

    /// Only ever the one answering: any cue of being addressed counts ("is this a bot").
    private static let botWords: Set<String> = ["bot", "bots", "chatbot"]
    /// Also products: only being talked to counts ("¿estoy hablando con una máquina?").
    private static let machineWords: Set<String> = ["robot", "maquina", "machine", "contestador"]

    private static let machineProducts: Set<String> = [
        "de", "aspirador", "aspiradora", "vacuum", "cocina", "kitchen", "mower", "cortacesped", "lavar", "coser",
        "cafe", "coffee", "washing", "sewing",
    ]

    private static let botCues: Set<String> = [
        "eres", "sois", "es", "esto", "estoy", "hablando", "hablo", "hablar", "contesta", "responde", "are", "is",
        "this", "am", "talking", "speaking", "talk", "speak", "u", "you", "youre", "otro", "another", "just", "un",
        "una", "a", "un", "solo",
    ]
    private static let machineCues: Set<String> = [
        "eres", "sois", "estoy", "hablando", "hablo", "hablar", "are", "youre", "talking", "speaking", "talk", "speak",
        "u", "you",
    ]
}
