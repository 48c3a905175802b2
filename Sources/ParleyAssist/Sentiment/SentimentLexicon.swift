/// The Spanish and English words, stems, phrases, emoji and emoticons the lexicon scorer
/// knows, with their valences (-1…1) and roles. Keys are folded (lowercase, no accents) the
/// way ``SentimentTokenizer`` folds words; a key with spaces is a phrase, matched before
/// its words; a key ending in `*` is a stem, matched by the words it begins
/// ("decepcion*" → decepcionado, decepcionadas, decepcionante).
///
/// Valences: about ±0.2 a mild word ("tarde", "fine"), ±0.5 an ordinary judgement ("mal",
/// "good"), ±0.75 a strong one ("horrible", "amazing"), and at or below
/// ``strongValence`` the vocabulary that on its own hands a conversation to a person:
/// fraud, disputes, threats and insults.
enum SentimentLexicon {
    /// A term at or below this valence is fraud, dispute, threat or insult vocabulary: the
    /// scorer puts a message that uses it (not negated, not conceded) at or below
    /// `LexiconSentimentScorer.strongScoreCeiling`.
    static let strongValence = -0.85
    /// Stems shorter than this are not looked up: short prefixes begin too many unrelated
    /// words ("mal" begins "maleta").
    static let minStemLength = 4

    /// The term for one folded word: the word itself, a "-ísimo" superlative of a known
    /// word (as its base, intensified), or the longest known stem it begins with.
    static func term(_ word: String) -> (term: SentimentTerm, superlative: Bool)? {
        if let term = table.words[word] { return (term, false) }
        if containsSuperlativeMark(word), let base = superlativeBase(word), let term = table.words[base] ?? stemTerm(base) {
            return (term, true)
        }
        if let term = stemTerm(word) { return (term, false) }
        return nil
    }

    /// The longest phrase starting at `words.startIndex`, and how many words it spans.
    static func phrase(startingAt words: ArraySlice<String>) -> (term: SentimentTerm, length: Int)? {
        guard let first = words.first, let candidates = table.phrases[first] else { return nil }
        for (phraseWords, term) in candidates where phraseWords.count <= words.count {
            if zip(phraseWords, words).allSatisfy({ $0 == $1 }) { return (term, phraseWords.count) }
        }
        return nil
    }

    private static func stemTerm(_ word: String) -> SentimentTerm? {
        // Folded words are nearly always ASCII: there a character is a byte, and a prefix
        // is cut from the UTF-8 without collecting the word's characters (stems are short
        // enough to be small strings, so a lookup allocates nothing).
        let utf8 = word.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            guard utf8.count >= minStemLength else { return nil }
            for length in table.stemLengths where length <= utf8.count {
                if let term = table.stems[String(decoding: utf8.prefix(length), as: UTF8.self)] { return term }
            }
            return nil
        }
        guard word.count >= minStemLength else { return nil }
        let characters = Array(word)
        for length in table.stemLengths where length <= characters.count {
            if let term = table.stems[String(characters[0..<length])] { return term }
        }
        return nil
    }

    /// Whether `word` contains "isim", the mark of a "-ísimo" superlative once folded (a
    /// byte search: Foundation's `contains` goes through `range(of:)`).
    private static func containsSuperlativeMark(_ word: String) -> Bool {
        let mark: [UInt8] = [0x69, 0x73, 0x69, 0x6D]  // "isim"
        var matched = 0
        for byte in word.utf8 {
            if byte == mark[matched] {
                matched += 1
                if matched == mark.count { return true }
            } else {
                matched = byte == mark[0] ? 1 : 0
            }
        }
        return false
    }

    /// "malisimo" → "malo", "rapidisimas" → "rapida", "carisimo" → "caro".
    private static func superlativeBase(_ word: String) -> String? {
        for (suffix, ending) in [("isimos", "os"), ("isimas", "as"), ("isimo", "o"), ("isima", "a")] where word.hasSuffix(suffix) {
            var base = String(word.dropLast(suffix.count))
            guard base.count >= 2 else { return nil }
            // Spelling keeps the sound: "riquísimo" ← "rico", "larguísimo" ← "largo".
            if base.hasSuffix("qu") { base = String(base.dropLast(2)) + "c" }
            if base.hasSuffix("gu") { base = String(base.dropLast(1)) }
            return base + ending
        }
        return nil
    }

    // MARK: - Emoji and emoticons

    /// The valence of an emoji (its first scalar, so skin tones and variation selectors do
    /// not matter), nil for one that carries none.
    static func emojiValence(_ character: Character) -> Double? {
        guard let first = character.unicodeScalars.first else { return nil }
        return emoji[first]
    }

    /// The characters an emoticon can start with, checked before trying each emoticon.
    static let emoticonStarts: Set<Character> = Set(emoticons.compactMap(\.0.first))

    /// An emoticon starting at `index`, with its valence and length in characters.
    static func emoticon(in characters: [Character], at index: Int) -> (Double, Int)? {
        for (text, valence) in emoticonCharacters {
            let length = text.count
            guard index + length <= characters.count else { continue }
            if characters[index..<index + length].elementsEqual(text) {
                // ":D" must not be the start of a word (":Dónde").
                if index + length < characters.count, characters[index + length].isLetter { continue }
                return (valence, length)
            }
        }
        return nil
    }

    private static let emoji: [Unicode.Scalar: Double] = [
        // Negative.
        "😡": -0.8, "🤬": -0.9, "😤": -0.6, "😠": -0.7, "👎": -0.6, "💩": -0.7, "🙄": -0.5, "😞": -0.5, "😢": -0.5,
        "😭": -0.6, "😒": -0.45, "😩": -0.5, "😫": -0.5, "💔": -0.5, "🤦": -0.5, "😕": -0.35, "🙁": -0.4, "☹": -0.45,
        "😔": -0.4, "😣": -0.4, "😖": -0.45, "😟": -0.35, "😑": -0.3, "😐": -0.15, "🤢": -0.6, "🤮": -0.7, "😱": -0.4,
        "😰": -0.4, "😓": -0.3, "🙃": -0.3, "😬": -0.2, "🖕": -0.9, "❌": -0.3,
        // Positive.
        "😍": 0.8, "🥰": 0.8, "👍": 0.15, "🙏": 0.25, "❤": 0.6, "😊": 0.5, "🙂": 0.3, "😀": 0.5, "😃": 0.5,
        "😄": 0.5, "😁": 0.5, "😘": 0.6, "🤩": 0.7, "👌": 0.15, "👏": 0.5, "💯": 0.5, "✨": 0.3, "🎉": 0.5,
        "🥳": 0.5, "😉": 0.2, "💕": 0.6, "💖": 0.6, "💗": 0.6, "💙": 0.5, "💚": 0.5, "💜": 0.5, "🧡": 0.5,
        "💛": 0.5, "🤗": 0.5, "☺": 0.45, "😌": 0.3, "💪": 0.4, "🔥": 0.5, "🙌": 0.5, "✅": 0.3, "😎": 0.4,
        "🤍": 0.5, "🌟": 0.5, "⭐": 0.4, "🫶": 0.6, "😻": 0.7, "🤤": 0.4, "😋": 0.4, "🥹": 0.5, "💝": 0.5,
        "😆": 0.3, "😂": 0.1, "🤣": 0.1,
    ]

    /// Longest first, so ":-(" is not read as ":-" and "(".
    private static let emoticons: [(String, Double)] = [
        (">:(", -0.7), (":'(", -0.6), (":-(", -0.5), (":-/", -0.3), (":-)", 0.45), (":-D", 0.5), ("</3", -0.5),
        (":(", -0.5), (":/", -0.3), (":)", 0.45), (":D", 0.5), ("=)", 0.4), ("=(", -0.45), (";)", 0.25), (":P", 0.2),
        (":p", 0.2), ("<3", 0.6), (":@", -0.6), ("^^", 0.3),
    ]

    /// `emoticons` as characters, compared in place (no string made per try).
    private static let emoticonCharacters: [([Character], Double)] = emoticons.map { (Array($0.0), $0.1) }

    // MARK: - The table

    /// Every entry below, merged into lookups once.
    private struct Table: Sendable {
        var words: [String: SentimentTerm] = [:]
        var stems: [String: SentimentTerm] = [:]
        /// The lengths of the stems, longest first: only those prefixes are looked up.
        var stemLengths: [Int] = []
        /// Keyed by the first word, longest first.
        var phrases: [String: [([String], SentimentTerm)]] = [:]

        mutating func update(_ key: String, language: AssistLanguage?, _ change: (inout SentimentTerm) -> Void) {
            if key.hasSuffix("*") {
                let stem = String(key.dropLast())
                var term = stems[stem] ?? SentimentTerm(language: language)
                change(&term)
                stems[stem] = term
            } else if key.contains(" ") {
                let phraseWords = key.split(separator: " ").map(String.init)
                var list = phrases[phraseWords[0], default: []]
                if let index = list.firstIndex(where: { $0.0 == phraseWords }) {
                    change(&list[index].1)
                } else {
                    var term = SentimentTerm(language: language)
                    change(&term)
                    list.append((phraseWords, term))
                    list.sort { $0.0.count > $1.0.count }
                }
                phrases[phraseWords[0]] = list
            } else {
                var term = words[key] ?? SentimentTerm(language: language)
                change(&term)
                words[key] = term
            }
        }
    }

    private static let table: Table = {
        var table = Table()
        let languages: [(AssistLanguage?, Vocabulary)] = [(.es, spanish), (.en, english), (nil, shared)]
        for (language, vocabulary) in languages {
            for (key, valence) in vocabulary.valences { table.update(key, language: language) { $0.valence = valence } }
            for (key, multiplier) in vocabulary.intensifiers {
                table.update(key, language: language) {
                    $0.roles.insert(.intensifier)
                    $0.multiplier = multiplier
                }
            }
            let roleLists: [([String], SentimentTerm.Roles)] = [
                (vocabulary.negators, .negator), (vocabulary.contrasts, .contrast), (vocabulary.concessives, [.contrast, .concessive]),
                (vocabulary.events, .event), (vocabulary.politeness, .politeness), (vocabulary.sarcasmProne, .sarcasmProne),
                (vocabulary.complaints, .complaint), (vocabulary.timeUnits, .timeUnit), (vocabulary.waiting, .waiting),
                (vocabulary.another, .another), (vocabulary.conditionals, .conditional), (vocabulary.comparatives, .comparative),
                (vocabulary.scopeTransparent, .scopeTransparent), (vocabulary.apologies, .apology),
                (vocabulary.discourseMarkers, .discourseMarker), (vocabulary.challenges, .challenge),
                (vocabulary.arrivals, .arrival), (vocabulary.absences, .absence),
                (vocabulary.expectations, .expectation), (vocabulary.reports, .report), (vocabulary.beliefs, .belief),
                (vocabulary.comparisons, .comparison), (vocabulary.restrictives, .restrictive),
                (vocabulary.functioning, [.functioning, .event]), (vocabulary.inquiries, .inquiry),
            ]
            for (keys, role) in roleLists {
                for key in keys { table.update(key, language: language) { $0.roles.formUnion(role) } }
            }
        }
        table.stemLengths = Set(table.stems.keys.map(\.count)).filter { $0 >= minStemLength }.sorted(by: >)
        return table
    }()

    /// One language's entries, by role.
    private struct Vocabulary {
        var valences: [String: Double] = [:]
        var intensifiers: [String: Double] = [:]
        var negators: [String] = []
        var contrasts: [String] = []
        var concessives: [String] = []
        var events: [String] = []
        var politeness: [String] = []
        var sarcasmProne: [String] = []
        var complaints: [String] = []
        var timeUnits: [String] = []
        var waiting: [String] = []
        var another: [String] = []
        var conditionals: [String] = []
        var comparatives: [String] = []
        var scopeTransparent: [String] = []
        var apologies: [String] = []
        var discourseMarkers: [String] = []
        var challenges: [String] = []
        var arrivals: [String] = []
        var absences: [String] = []
        var expectations: [String] = []
        var reports: [String] = []
        var beliefs: [String] = []
        var comparisons: [String] = []
        var restrictives: [String] = []
        var functioning: [String] = []
        var inquiries: [String] = []
    }

    // MARK: - Spanish

    private static let spanish = Vocabulary(
        valences: [
            // Praise.
            "bien": 0.4, "bueno": 0.5, "buena": 0.5, "buenos": 0.5, "buenas": 0.1, "genial": 0.7, "geniales": 0.7,
            "perfecto": 0.65, "perfecta": 0.65, "perfectos": 0.65, "perfectas": 0.65, "perfectamente": 0.6, "perfe": 0.6,
            "excelente": 0.8, "excelentes": 0.8, "estupendo": 0.7, "estupenda": 0.7, "fantastico": 0.8, "fantastica": 0.8,
            "maravilloso": 0.8, "maravillosa": 0.8, "maravilla": 0.75, "increible": 0.5, "encant*": 0.7, "gusta": 0.5,
            "gustan": 0.5, "gustado": 0.5, "gusto": 0.45, "contento": 0.6, "contenta": 0.6, "contentos": 0.6,
            "contentas": 0.6, "feliz": 0.7, "felices": 0.7, "satisfecho": 0.6, "satisfecha": 0.6, "satisfechos": 0.6,
            "recomendable": 0.6,
            "bonito": 0.5, "bonita": 0.5, "bonitos": 0.5, "bonitas": 0.5, "precioso": 0.7, "preciosa": 0.7,
            "preciosos": 0.7, "preciosas": 0.7, "chulo": 0.5, "chula": 0.5, "chulisimo": 0.6, "guapo": 0.4, "guapa": 0.4,
            "comodo": 0.4, "comoda": 0.4, "comodos": 0.4, "rapido": 0.4, "rapida": 0.4, "rapidos": 0.4, "rapidez": 0.4,
            "agradecido": 0.5, "agradecida": 0.5, "agradezco": 0.4, "amable": 0.5, "amables": 0.5, "atento": 0.4,
            "atenta": 0.4, "majo": 0.45, "maja": 0.45, "crack": 0.55, "ideal": 0.55, "lujo": 0.5, "encantador": 0.6,
            "encantadora": 0.6, "util": 0.35, "fenomenal": 0.7, "guay": 0.5, "ole": 0.45, "bravo": 0.5,
            "impecable": 0.75, "impecables": 0.75, "profesional": 0.45, "profesionales": 0.45, "puntual": 0.4,
            "acierto": 0.6, "alegra": 0.5, "chollo": 0.5, "mejor": 0.15, "eficaz": 0.4, "eficiente": 0.4,
            "agradable": 0.5, "serio": 0.3, "serios": 0.35, "seria": 0.3, "cielo": 0.5, "sol": 0.2, "brutal": 0.55,
            "pasada": 0.55, "flipa": 0.5, "flipante": 0.6, "flipado": 0.45, "top": 0.5, "correcto": 0.3,
            "correcta": 0.3, "calidad": 0.15, "fiable": 0.5, "honesto": 0.5, "honesta": 0.5, "bonisimo": 0.6,
            "enamorad*": 0.7, "volvere": 0.3, "repetire": 0.55, "repito": 0.4, "cuidado": 0.1, "rapidisimo": 0.6,
            "suave": 0.3, "calentito": 0.3, "facil": 0.25, "precio": 0, "barato": 0.2, "favorito": 0.5, "favorita": 0.5,
            "jaja": 0.2, "jajaja": 0.25, "jeje": 0.2, "alucin*": 0.45, "bendicion": 0.5, "gracias": 0.1,
            // Praise phrases.
            "de lujo": 0.65, "de maravilla": 0.7, "una pasada": 0.7, "de diez": 0.7, "de 10": 0.7, "vale la pena": 0.55,
            "merece la pena": 0.55, "a tiempo": 0.35, "sin problemas": 0.45, "sin ningun problema": 0.5,
            "todo correcto": 0.45, "todo bien": 0.45, "todo perfecto": 0.65, "justo lo que": 0.55, "tal cual": 0.35,
            "como en la foto": 0.35, "como en las fotos": 0.35, "como se describe": 0.35, "lo mejor": 0.6,
            "volvere a comprar": 0.6, "volveria a comprar": 0.6, "compraria otra vez": 0.6, "compraria de nuevo": 0.6,
            "que bien": 0.5, "mil gracias": 0.4, "5 estrellas": 0.65, "cinco estrellas": 0.65, "eres un sol": 0.6,
            "eres un cielo": 0.6, "valoracion positiva": 0.55, "me alegro": 0.5, "buen trabajo": 0.6, "de nada": 0.05,
            "sin duda": 0.15, "sin dudarlo": 0.3, "mejor de lo que": 0.65, "nada que objetar": 0.55,
            // Neutral phrases that would otherwise read as judgements.
            "buenos dias": 0, "buenas tardes": 0, "buenas noches": 0, "esta tarde": 0, "por la tarde": 0,
            "de la tarde": 0, "a la tarde": 0, "mas tarde": 0, "luego mas": 0, "me gustaria": 0, "si te gusta": 0,
            "no gracias": 0, "de momento": 0, "no pasa nada": 0.15, "bien bien": 0.45, "lo siento": 0,
            "lo siento mucho": 0, "perdona": 0, "perdon": 0, "no hace falta": 0, "no te preocupes": 0.1,
            "ni idea": 0, "talla pequena": 0, "talla grande": 0,
            // Complaints.
            "mal": -0.5, "malo": -0.5, "mala": -0.5, "malos": -0.5, "malas": -0.5, "fatal": -0.7, "horrible": -0.75,
            "horribles": -0.75, "terrible": -0.75, "pesimo": -0.8, "pesima": -0.8, "peor": -0.55, "desastre": -0.75,
            "decepcion*": -0.6, "enfad*": -0.6, "cabrea*": -0.65, "harto": -0.6, "harta": -0.6, "hartos": -0.6,
            "molesto": -0.45, "molesta": -0.45, "indign*": -0.7, "asco": -0.85, "asqueroso": -0.8, "lamentable": -0.7,
            "vergonzoso": -0.85, "verguenza": -0.85, "basura": -0.85, "mierda": -0.9, "chapuza": -0.7, "cutre": -0.5,
            "roto": -0.55, "rota": -0.55, "rotos": -0.55, "rotas": -0.55, "defectuos*": -0.6, "defecto": -0.45,
            "defectos": -0.45, "tarde": -0.35, "retraso": -0.45, "retrasos": -0.45, "retrasado": -0.45, "tarda": -0.3,
            "tardan": -0.3, "tardando": -0.35, "tardado": -0.3, "lento": -0.4, "lenta": -0.4, "queja": -0.45,
            "quejas": -0.45, "reclamacion": -0.5, "reclamar": -0.45, "reclamo": -0.45, "problema": -0.35,
            "problemas": -0.35, "error": -0.35, "errores": -0.35, "fallo": -0.4, "fallos": -0.4, "falla": -0.4,
            "estropead*": -0.55, "danado": -0.55, "danada": -0.55, "golpead*": -0.45, "abollad*": -0.45,
            "rayado": -0.4, "rayada": -0.4, "manchad*": -0.45, "sucio": -0.45, "sucia": -0.45, 
            "falso": -0.6, "falsa": -0.6, "falsific*": -0.9, "imitacion": -0.5, "caro": -0.35, "cara": -0.1,
            "timo": -0.9, "timad*": -0.9, "estaf*": -0.95, "estafeta": 0, "fraude": -0.95, "fraudulent*": -0.95,
            "ladron": -0.95, "ladrones": -0.95, "ladrona": -0.95, "robo": -0.85, "engano": -0.8, "enganado": -0.8,
            "enganada": -0.8, "enganan": -0.8, "enganoso": -0.75, "mentira": -0.7, "mentiras": -0.7, "mentiros*": -0.9,
            "sinverguenza": -0.95, "sinverguenzas": -0.95, "impresentable": -0.9, "impresentables": -0.9,
            "inutil": -0.85, "inutiles": -0.85, "incompetent*": -0.9, "denunci*": -0.9, "disputa": -0.9, "abogado": -0.9,
            "abogados": -0.9, "ocu": -0.9, "policia": -0.85, "juzgado": -0.9, "demanda": -0.7, "chargeback": -0.95,
            "contracargo": -0.95, "jeta": -0.85, "cabron": -0.95, "cabrones": -0.95, "imbecil": -0.95,
            "imbeciles": -0.95, "idiota": -0.95, "idiotas": -0.95, "gilipollas": -0.95, "joder": -0.6, "hostia": -0.4,
            "maldito": -0.7, "maldita": -0.7, "ignorad*": -0.55, "ignoras": -0.55, "ignorais": -0.55,
            "esperando": -0.08, "espera": -0.1, "devolver": -0.05, "devolucion": -0.05, "devolverlo": -0.05,
            "devolverla": -0.05, "devuelvo": -0.05, "devolvedme": -0.55, "devuelveme": -0.5, "reembolso": -0.05,
            "reembolsar": -0.05, "reembols*": -0.05, "cancelar": -0.25, "cancelad": -0.4, "cancela": -0.3,
            "pequeno": -0.1, "pequena": -0.1, "pequenos": -0.1, "pequenas": -0.1, "grande": 0, "apretado": -0.3,
            "aplastad*": -0.55, "trizas": -0.6, "pedazos": -0.4, "agujero": -0.4, "descos*": -0.5, "despegad*": -0.4,
            "perdido": -0.4, "perdida": -0.3, "extraviad*": -0.5, "sorpresa": 0, "injusto": -0.6, "bloqueado": -0.4,
            "bloquean": -0.4, "enfado": -0.6, "desesperad*": -0.6, "preocupad*": -0.4, "triste": -0.5,
            "timador": -0.95, "timadores": -0.95, "abusivo": -0.7, "abuso": -0.7, "vergonz*": -0.85, "pena": -0.3,
            "raro": -0.2, "incompleto": -0.5, "incompleta": -0.5, "falta": -0.3, "faltan": -0.4, "faltaba": -0.4,
            "equivocad*": -0.45, "otra talla": -0.45, "otro color": -0.35, "dificil": -0.2, "insoportable": -0.8,
            "desastroso": -0.8, "ridiculo": -0.6, "absurdo": -0.5, "increible que": -0.55, "tela": -0.1,
            // Complaint phrases.
            "el peor": -0.85, "la peor": -0.85, "lo peor": -0.7, "nunca mas": -0.85, "no vuelvo": -0.75,
            "no volvere": -0.75, "no volveria": -0.7, "una estrella": -0.9, "1 estrella": -0.9, "cero estrellas": -0.9,
            "0 estrellas": -0.9, "reembolso ya": -0.95, "devolvedme el dinero": -0.95, "devolvedme mi dinero": -0.95,
            "devuelveme el dinero": -0.9, "devuelveme mi dinero": -0.9, "mi dinero ya": -0.95, "quiero mi dinero": -0.75,
            "hoja de reclamaciones": -0.95, "a consumo": -0.9, "de consumo": -0.9, "en consumo": -0.9,
            "tomadura de pelo": -0.9, "tomado el pelo": -0.9, "tomando el pelo": -0.9, "tomais el pelo": -0.9,
            "vaya tela": -0.6, "vaya servicio": -0.6, "menudo servicio": -0.6, "que asco": -0.85, "me cago": -0.85,
            "gracias por nada": -0.75, "es una broma": -0.5, "no es justo": -0.6, "hecho trizas": -0.6,
            "no me lo puedo creer": -0.5, "no doy credito": -0.55, "que verguenza": -0.9, "ya esta bien": -0.55,
            "estoy harto": -0.7, "estoy harta": -0.7, "no es normal": -0.5, "de pena": -0.6, "da pena": -0.5,
            "deja mucho que desear": -0.6, "deja que desear": -0.55, "otra vez": -0.15,
            "ni caso": -0.55, "pasais de mi": -0.6, "pasas de mi": -0.6, "no hay derecho": -0.7, "no cumple": -0.5,
            "abrir una disputa": -0.9, "nadie contesta": -0.5, "sin respuesta": -0.5, "fuera de plazo": -0.4,
            "queda pequeno": -0.4, "queda pequena": -0.4, "quedan pequenos": -0.4, "quedan pequenas": -0.4,
            "queda grande": -0.35, "queda grandes": -0.35, "quedan grandes": -0.35, "es pequena": -0.35,
            "es pequeno": -0.35, "son pequenas": -0.35, "son pequenos": -0.35, "es grande": -0.2,
            "no es lo que": -0.5, "no era lo que": -0.5, "no se parece": -0.5, "no tiene nada que ver": -0.55,
            "muy bien": 0.55, "que rapidez": 0.5, "gran": 0.5, "buen": 0.5, "placer": 0.5, "mola": 0.55, "molan": 0.55,
            "ilusion": 0.5, "mereces": 0.4, "merece": 0.35, "confianza": 0.4, "pronto": 0.2, "antes de lo": 0.5,
            "como en la descripcion": 0.4, "vale lo que": 0.45, "vuelvo a comprar": 0.5, "volver a comprar": 0.5,
            "nuevo": 0.2, "nueva": 0.2, "arrepiento": -0.6, "arrepentid*": -0.6, "porqueria": -0.8, "quej*": -0.45,
            "diferente": -0.3, "pica": -0.4, "picor": -0.4, "huele": -0.3, "olor": -0.3, "apesta": -0.7,
            "injust*": -0.6, "culpa": -0.35, "marcas de uso": -0.45, "llego abierto": -0.4, "llego abierta": -0.4,
            "mi banco": -0.85, "devolvais el dinero": -0.75, "devuelvas el dinero": -0.75, "devolver el dinero": -0.4,
            "abro reclamacion": -0.85, "abrire una reclamacion": -0.85, "abro una reclamacion": -0.85,
            "abro disputa": -0.9, "pasado": 0, "no se nada": -0.4, "tengo que esperar": -0.4, "en serio": -0.3,
            "perder el tiempo": -0.6, "regatear": -0.3, "no me vuelvas a": -0.4, "muerto": -0.4, "sigo sin": -0.45,
            "seguimos sin": -0.45, "tercera vez": -0.4, "dos veces": -0.25, "y nada": -0.35, "cobrado": -0.3,
            "cobrais": -0.3, "cuanto tarda": 0, "cuanto tardan": 0, "cuanto tardara": 0, "mal rollo": -0.5,
            "de confianza": 0.45, "usado": -0.25, "exijo": -0.4, "exijo mi reembolso": -0.9, "exijo mi dinero": -0.9,
            "reembolso inmediato": -0.95, "reembolso inmediatamente": -0.95, "divertido": 0.5, "raya": -0.35,
            "rayas": -0.35, "aranazo": -0.4, "aranazos": -0.4, "sin stock": -0.2, "no hay stock": -0.2,
            // Defects, rudeness, disappointment, threats: general vocabulary beyond the corpus.
            "distinto": -0.3, "distinta": -0.3, "distintos": -0.3, "distintas": -0.3, "mancha": -0.45, "manchas": -0.45,
            "descolorid*": -0.45, "destenid*": -0.45, "encog*": -0.45, "deformad*": -0.45, "pelotill*": -0.4,
            "rasgad*": -0.45, "oxidad*": -0.45, "rajad*": -0.45, "desgastad*": -0.4, "se calienta": -0.4,
            "se apaga": -0.4, "se cuelga": -0.45, "se bloquea": -0.45, "dura poco": -0.45, "dura nada": -0.5,
            "romp*": -0.5, "rompio": -0.5, "borde": -0.5, "grosero": -0.6, "grosera": -0.6, "maleducad*": -0.6,
            "antipatic*": -0.5, "desagradable": -0.55, "prepotente": -0.6, "descontent*": -0.55, "insatisfech*": -0.55,
            "disgustad*": -0.55, "frustra*": -0.55, "agobiad*": -0.4, "mosquead*": -0.5, "quemado": -0.3,
            "hasta las narices": -0.75, "hasta el gorro": -0.75, "eternidad": -0.45, "siglos": -0.3,
            "horroroso": -0.75, "horrorosa": -0.75, "espantoso": -0.75, "espantosa": -0.75, "penoso": -0.7,
            "penosa": -0.7, "patetic*": -0.75, "mediocre": -0.45, "regular": -0.2, "flojo": -0.35, "floja": -0.35,
            "endeble": -0.45, "mentir*": -0.7, "mintiendo": -0.7, "mentis": -0.7, "roba*": -0.75, "robais": -0.8,
            "indecente": -0.8, "desvergonzad*": -0.9, "birria": -0.75, "bodrio": -0.75, "truno": -0.75, "trampa": -0.6,
            "abogad*": -0.9, "demandar*": -0.85, "tribunal*": -0.9, "juicio": -0.6, "guardia civil": -0.85,
            "reclamacion formal": -0.85, "devolucion del cargo": -0.9, "anular el cargo": -0.9, "anular el pago": -0.6,
            "valoracion negativa": -0.85, "mala valoracion": -0.85, "resena negativa": -0.85, "opinion negativa": -0.8,
            "de consumidores": -0.9, "facua": -0.9, "ni rastro": -0.5, "sin rastro": -0.45, "desaparecid*": -0.5,
            "todavia nada": -0.45, "aun nada": -0.45, "nada de nada": -0.55, "cobro doble": -0.55, "cobraron": -0.3,
            "cobraste": -0.3, "cobrasteis": -0.3, "esperaba mas": -0.5, "esperaba algo mejor": -0.5, "engan*": -0.8,
            "enganch*": 0, "pesad*": -0.3, "inaceptable": -0.75, "intolerable": -0.8, "fatal fatal": -0.8,
            "cansad*": -0.4, "decepcionante": -0.65, "lastima": -0.4, "una pena": -0.45, "que pena": -0.5,
            "arrancad*": -0.45, "atrasa": -0.4, "parpadea": -0.4, "despeg*": -0.45, "estoy que trino": -0.7,
            "otra cosa": -0.15, "esperaba otra cosa": -0.5, "senales de vida": 0, "mas pequeno que": -0.35,
            "mas pequena que": -0.35, "mas pequenos que": -0.35, "mas pequenas que": -0.35, "eres un amor": 0.6,
            "un amor": 0.5, "no se puede pedir mas": 0.7, "rota por": -0.5, "cojea": -0.4,
            "suelto": -0.2, "se mueve": -0.25, "chirria": -0.4, "cruje": -0.35, "torcid*": -0.4, "hundid*": -0.4,
                        "ni se os ocurra": -0.7, "ni se te ocurra": -0.7, "ya os vale": -0.5, "ya te vale": -0.5,
            "no compreis": -0.7, "no compres": -0.65, "no lo compreis": -0.7,
            "ruido": -0.3, "ruidoso": -0.35, "se sale": -0.35, "gotea": -0.45, "moho": -0.6, "caducad*": -0.5,
            // Praise, more of it.
            "bonit*": 0.5, "estupend*": 0.7, "fantastic*": 0.8, "maravillos*": 0.8, "perfect*": 0.65, "recomend*": 0.55,
            "recomiend*": 0.6, "agradecid*": 0.5, "satisfech*": 0.6, "content*": 0.6, "rapid*": 0.4, "comod*": 0.4,
            "bien empaquetado": 0.5, "bien embalado": 0.5, "bien protegido": 0.45, "preciosidad": 0.7, "monada": 0.6,
            "mono": 0.3, "mona": 0.3, "cuqui": 0.5, "chulada": 0.6, "flip*": 0.5, "molon": 0.5, "molona": 0.5,
            "un 10": 0.6, "cumplidor": 0.5, "puntualidad": 0.4, "agradecer": 0.3, "enhorabuena": 0.5,
            "felicidades": 0.5, "rico": 0.3, "buenisim*": 0.65, "majisim*": 0.6, "amabilidad": 0.5, "eficacia": 0.45,
            "atencion excelente": 0.75, "sin pegas": 0.5, "ninguna pega": 0.5, "genialidad": 0.7, "estupendamente": 0.7,
            "comodisim*": 0.55, "encantadisim*": 0.8, "recomendadisim*": 0.7, "calidad precio": 0.3,
            // Problem reports without a sentiment word: what fails, tears, leaks or hurts;
            // what should have been; and praise for a problem put right.
            "no hay quien": -0.55, "no es como": -0.45, "no era como": -0.45, "se salio": -0.4, "se ha salido": -0.4,
            "se para": -0.4, "se paro": -0.4, "se ha parado": -0.4, "anicos": -0.55, "entrecortad*": -0.45,
            "desgarr*": -0.5, "destine": -0.45, "destinen": -0.45, "destinio": -0.45, "mojad*": -0.35,
            "ondulad*": -0.3, "agriet*": -0.5, "hace dano": -0.45, "hacen dano": -0.45, "me aprieta": -0.35,
            "estrech*": -0.2, "caja vacia": -0.5, "vacia": -0.3, "el precio era": -0.3, "deberia ser": -0.3,
            "tendria que ser": -0.3, "tenia que ser": -0.3, "tardaron": -0.3, "tardo": -0.3,
            "va a contestar": -0.35, "vas a contestar": -0.35, "vais a contestar": -0.35, "va a responder": -0.35,
            "vas a responder": -0.35, "o no": -0.2, "como es posible": -0.45, "sin funcionar": -0.5,
            "de otra persona": -0.3, "de otro": -0.15, "partid*": -0.35, "pierde": -0.3, "se pierde": -0.3,
            "como la seda": 0.6, "como un guante": 0.65, "superado mis expectativas": 0.75,
            "supera mis expectativas": 0.75, "enseguida": 0.35, "al momento": 0.35, "en un momento": 0.3,
            "resolviste": 0.5, "solucionaste": 0.5, "arreglaste": 0.5, "cambiaste": 0.3, "he usado": 0,
            "lo he usado": 0, "merecido la pena": 0.55, "valio la pena": 0.55,
            "no se mueve": -0.45, "suelta": -0.3, "sueltas": -0.3, "sueltos": -0.3, "pega": -0.45, "pegas": -0.45,
            "la talla que necesitaba": 0.5, "lo que necesitaba": 0.5, "la mejor": 0.6, "el mejor": 0.6,
            "tal y como": 0.35, "suena bien": 0.05, "viene bien": 0, "vendria bien": 0, "tarda de": 0,
            "no he pagado": 0, "subrayad*": -0.35, "sigue sin": -0.45, "siguen sin": -0.45, "sigues sin": -0.45,
            "dejo de funcionar": -0.6, "dejado de funcionar": -0.6, "deja de funcionar": -0.55, "dejo de cargar": -0.55,
            "dejado de cargar": -0.55, "se desconecta": -0.4, "se desconectan": -0.4,
            // Defects as buyers state them, with no sentiment word: what came soaked, chipped,
            // sticky, worn, expired or dead, what breaks at its first use, what arrived days
            // after it was needed; questions that ask whether a defect is normal.
            "empapad*": -0.45, "desconch*": -0.45, "pegajos*": -0.4, "grieta": -0.45, "grietas": -0.45,
            "fisura": -0.4, "fisuras": -0.4, "raja": -0.4, "golpe": -0.35, "golpes": -0.35, "aranad*": -0.4,
            "atasc*": -0.4, "deshilach*": -0.45, "gote*": -0.45, "chispa*": -0.4, "huele a quemado": -0.55,
            "muertos": -0.4, "muerta": -0.4, "muertas": -0.4, "pixel muerto": -0.5, "pixeles muertos": -0.5,
            "vencido": -0.3, "usada": -0.2, "usados": -0.2, "usadas": -0.25, "gastado": -0.3, "gastada": -0.3,
            "he gastado": 0, "has gastado": 0, "hemos gastado": 0, "me he gastado": 0, "parado": -0.35,
            "parada": -0.2, "se cae": -0.3, "se caen": -0.3, "se salen": -0.35, "se engancha": -0.35,
            "primer lavado": -0.35, "primer uso": -0.35, "primera puesta": -0.35, "un lavado": -0.3,
            "dias despues": -0.3, "semanas despues": -0.35, "de risa": -0.45, "ni de lejos": -0.45,
            "no huele a nada": -0.45, "me queda como": -0.35, "queda como una": -0.35, "queda como un": -0.35,
            "sigo esperando": -0.5, "seguimos esperando": -0.5, "es normal que": -0.35, "tiene que": 0,
            "tienen que": 0, "algun dia": 0, "acert*": 0.55, "delicios*": 0.7, "sabros*": 0.6,

        ],
        intensifiers: [
            "muy": 1.4, "super": 1.5, "mega": 1.5, "tan": 1.3, "tanto": 1.2, "demasiado": 1.3, "tanta": 1.2, "tantos": 1.2, "tantas": 1.2, "realmente": 1.3,
            "totalmente": 1.4, "completamente": 1.4, "absolutamente": 1.5, "bastante": 1.15, "increiblemente": 1.5,
            "sumamente": 1.5, "no sabes": 1.3, "fatalmente": 1.4, "terriblemente": 1.5, "extremadamente": 1.5, "re": 1.3, "mas": 1.1, "menudo": 1.3, "menuda": 1.3,
            "de verdad": 1.2, "en serio": 1.2, "para nada": 1.4, "nada": 1.3, "muchisimo": 1.4, "mucho": 1.2,
            "un poco": 0.6, "un poquito": 0.55, "algo": 0.7, "un pelin": 0.55, "ligeramente": 0.6, "poquito": 0.6,
        ],
        negators: [
            "no", "nunca", "jamas", "cero", "ni", "sin", "tampoco", "ningun", "ninguno", "ninguna", "ningunos", "ningunas",
            "nada", "nadie", "apenas", "poco", "poca", "pocos", "pocas",
        ],
        contrasts: ["pero", "sin embargo", "no obstante", "eso si", "aun asi", "salvo", "excepto", "lo que pasa es que", "solo que"],
        concessives: ["aunque", "si bien", "a pesar de"],
        events: [
            "llega", "llegan", "llegado", "llego", "llegar", "llegue", "llegaba", "llegara", "recibido", "recibi",
            "recibo", "recibir", "contesta", "contestan", "contestas", "contestais", "contestado", "contestar",
            "contestes", "conteste", "encaja", "encajan", "cabe", "caben", "entra", "abre", "abren", "convence", "convencido", "convencida", "dura", "duran", "senales de vida", "actualiza", "actualizado", "movido", "responde", "responden", "respondes", "respondeis", "respondido", "responder",
            "respuesta", "respuestas", "funciona", "funcionan", "funcionar", "funcionaba", "sirve", "sirven", "carga",
            "enciende", "encienden", "arranca", "cierra", "solucion", "soluciona", "solucionado", "solucionais",
            "resuelto", "resuelven", "ayudado", "ayudan", "ayuda", "noticias", "informacion", "seguimiento",
            "corresponde", "coincide", "enviado", "enviada", "mandado", "mandada", "entregado", "entregada",
            "reembolsado", "devuelto", "aparece", "salido", "salir", "escrito", "dicho", "avisado", "avisar", "avisaste",
            "mandas", "leido", "comunicacion", "contacto", "mensaje", "mensajes", "pedido", "paquete", "dinero", "foto", "fotos", "descripcion", "anuncio", "pedi", "cubre", "cubierto", "pagar", "aceptar", "acepto", "vuelto", "cumple", "cumplido", "funcione", "pagado", "puedo usar",
            "mueve", "aparecer", "aparecido", "aplica", "aplico", "dice", "dicen", "venia", "venian", "vino", "venido",
            "traia", "traian", "incluia", "llegao", "apareciste", "aparecio", "manual", "tornillos", "cable", "cargador",
            "instrucciones", "piezas",
        ],
        politeness: [
            "gracias", "muchas gracias", "mil gracias", "porfa", "por favor", "porfavor", "un saludo", "saludos",
            "de nada", "perdona", "disculpa", "gracias por tu compra",
            // Polite openings of a complaint, not apologies for a fault.
            "siento molestarte", "siento molestar", "siento molestaros", "siento insistir", "disculpa la molestia",
            "disculpa las molestias", "perdona la molestia", "perdona las molestias", "perdona que insista",
        ],
        sarcasmProne: [
            "genial", "perfecto", "perfecta", "estupendo", "estupenda", "fantastico", "fantastica", "maravilloso",
            "maravillosa", "fenomenal", "que bien", "muy bien", "gracias", "muchas gracias", "bravo", "ole", "enhorabuena",
            "que rapidez", "increible", "bueno", "maravilla", "que maravilla", "que calidad", "precioso", "preciosa",
            "5 estrellas", "cinco estrellas", "chulisimo",
        ],
        complaints: [
            "tarde", "retraso*", "retrasad*", "tarda*", "roto", "rota", "rotos", "rotas", "defectuos*", "reembols*",
            "devol*", "devuelv*", "reclama*", "queja*", "esperando", "seguimiento", "paquete", "pedido", "envio",
            "cambio", "talla", "garantia", "dinero", "pagado", "cobrado", "transportista", "mensajero", "correos",
        ],
        timeUnits: [
            "dias", "semanas", "semana", "meses", "mes", "horas", "hora", "dia", "veces",
        ],
        waiting: [
            "llevo", "llevamos", "llevas", "lleva", "han pasado", "todavia", "aun", "sigo", "sigue", "esperando", "espera", "ya van", "mas de",
            "hace", "desde hace", "escrito", "escribo", "dicho", "pedido ya", "reclamado", "para contestar",
            "para responder", "para llegar", "en contestar", "en responder", "en llegar", "estuve esperando",
        ],
        another: ["otra", "otro", "otros", "otras"],
        conditionals: ["si", "en caso de", "por si", "no se si"],
        comparatives: ["mas", "mejor", "esperaba", "pensaba", "imaginaba", "creia", "no sabes"],
        scopeTransparent: [
            "me", "te", "se", "lo", "la", "le", "les", "nos", "os", "ha", "han", "he", "has", "hemos", "habeis",
            "es", "esta", "son", "estan", "era", "fue", "muy", "tan", "ya", "todavia", "aun", "nunca", "el", "un", "una",
        ],
        apologies: [
            "lo siento", "siento", "perdona", "perdon", "disculpa", "disculpe", "disculpad", "perdonad", "mil disculpas",
            "culpa mia",
        ],
        discourseMarkers: ["bueno", "vale", "pues", "bien"],
        challenges: ["por que", "porque", "como es que", "xq", "pq", "se supone", "o no", "como es posible", "es normal que"],
        arrivals: [
            "llega", "llegan", "llegado", "llego", "llegaron", "vino", "vinieron", "venia", "venian", "viene", "vienen",
            "recibido", "recibi", "recibo", "mandado", "mandaste", "enviado", "enviaste", "llegao",
        ],
        absences: ["sin", "falta", "faltan", "faltaba", "faltaban"],
        expectations: [
            "pedi", "pedimos", "encargue", "compre", "pague", "pagamos", "ponia", "decia", "dijiste", "dijisteis",
            "prometiste", "anunciabas", "anunciado", "anunciada", "en el anuncio", "en la descripcion", "se supone",
            "en las fotos", "en la foto", "pone",
        ],
        reports: [
            "llego", "llegado", "llegao", "llegaron", "vino", "vinieron", "venia", "venian", "mandaste", "mandasteis",
            "mandado", "enviaste", "enviasteis", "enviado", "recibi", "recibido", "cobrado", "cobraste", "cobrasteis",
            "cobrais", "cobras", "tardo", "tardaste", "tardaron", "la etiqueta dice", "la etiqueta pone",
        ],
        beliefs: ["esperaba", "pensaba", "creia", "imaginaba", "parecia", "pense", "crei"],
        comparisons: ["mas", "mejor", "mayor", "otra", "otro"],
        restrictives: ["solo", "solamente", "unicamente"],
        functioning: [
            "funciona", "funcionan", "carga", "cargan", "enciende", "encienden", "suena", "suenan", "conecta",
            "conectan", "empareja", "calienta", "enfria", "graba", "funciono", "sirvio", "cargar", "encender", "conectar",
            "arrancar", "frena", "frenan", "sube", "suben", "cierran",
        ],
        inquiries: ["tiene", "tienen", "hay", "o", "algun", "alguna", "algunos", "algunas", "que pasa si"]
    )

    // MARK: - English

    private static let english = Vocabulary(
        valences: [
            // Praise.
            "good": 0.5, "great": 0.7, "excellent": 0.8, "amazing": 0.8, "awesome": 0.75, "perfect": 0.7,
            "perfectly": 0.6, "love": 0.7, "loved": 0.7, "loving": 0.65, "loves": 0.65, "like": 0.2,
            "liked": 0.4, "nice": 0.5, "nicely": 0.45, "happy": 0.6, "happier": 0.6, "pleased": 0.6, "satisfied": 0.6,
            "fantastic": 0.8, "wonderful": 0.8, "beautiful": 0.65, "beautifully": 0.6, "gorgeous": 0.7,
            "recommend": 0.6, "fast": 0.4, "quick": 0.4, "quickly": 0.35, "speedy": 0.45,
            "helpful": 0.6, "kind": 0.45, "friendly": 0.5, "comfortable": 0.5, "comfy": 0.5, "cute": 0.5, "best": 0.6,
            "better": 0.35, "fine": 0.2, "cool": 0.4, "glad": 0.55, "impressed": 0.6, "superb": 0.8, "brilliant": 0.7,
            "flawless": 0.75, "appreciate": 0.45, "appreciated": 0.45, "delighted": 0.8, "thrilled": 0.8,
            "stunning": 0.75, "solid": 0.35, "worth": 0.45, "enjoy": 0.5, "enjoying": 0.5, "smooth": 0.4,
            "legit": 0.5, "legend": 0.6, "star": 0.45, "gem": 0.6, "obsessed": 0.65, "incredible": 0.7,
            "outstanding": 0.8, "exceptional": 0.8, "fabulous": 0.8, "pleasure": 0.55, "reliable": 0.5, "honest": 0.5,
            "professional": 0.45, "prompt": 0.4, "promptly": 0.4, "quality": 0.15, "sturdy": 0.4, "soft": 0.3,
            "warm": 0.2, "bargain": 0.45, "steal": 0.1, "yay": 0.5, "wow": 0.4, "lol": 0.1, "haha": 0.2, "thx": 0.05,
            "favorite": 0.5, "favourite": 0.5, "fits": 0.1, "thanks": 0.1, "thank": 0.1, "super": 0.5, "lifesaver": 0.7,
            "sweet": 0.4, "neat": 0.4, "dope": 0.5, "fire": 0.1, "slaps": 0.55, "vibes": 0.2, "wonderfully": 0.7,
            // Praise phrases.
            "as described": 0.4, "on time": 0.35, "well packed": 0.5, "well made": 0.5, "works great": 0.65,
            "works perfectly": 0.7, "buy again": 0.55, "buy from again": 0.55, "5 stars": 0.65, "five stars": 0.65,
            "exactly what": 0.55, "spot on": 0.6, "top notch": 0.75, "well done": 0.6, "great job": 0.6,
            "good job": 0.55, "all good": 0.45, "no problem": 0.1, "no worries": 0.1, "no issues": 0.45,
            "no problems": 0.45, "cant complain": 0.45, "cannot complain": 0.45, "thank you so much": 0.2,
            "you rock": 0.65, "made my day": 0.7, "worth it": 0.55, "worth every": 0.6, "good as new": 0.5,
            "like new": 0.4, "better than": 0.55, "youre a star": 0.6, "nothing to fault": 0.55,
            "oh well": 0, "in the end": 0, "kept me posted": 0.4, "heads up": 0,
            // Neutral phrases that would otherwise read as judgements.
            "would like": 0, "d like": 0, "id like": 0, "best regards": 0.05, "kind regards": 0.05, "no thanks": 0,
            "looks like": 0, "feel like": 0, "just like": 0, "like this": 0, "like that": 0, "is it good": 0,
            "no need": 0, "no rush": 0.05, "sorry": 0, "so sorry": 0, "fine print": 0, "good morning": 0,
            "good afternoon": 0, "good evening": 0, "good night": 0, "please": 0, "make sure": 0, "how long": 0,
            // Complaints.
            "bad": -0.5, "terrible": -0.75, "awful": -0.75, "horrible": -0.75, "poor": -0.5, "poorly": -0.5,
            "worst": -0.85, "worse": -0.55, "hate": -0.7, "hated": -0.7, "disappoint*": -0.6, "angry": -0.6,
            "upset": -0.5, "annoyed": -0.5, "annoying": -0.5, "frustrat*": -0.55, "furious": -0.8, "livid": -0.8,
            "unacceptable": -0.75, "ridiculous": -0.65, "useless": -0.85, "incompetent": -0.9, "pathetic": -0.85,
            "disgrace": -0.85, "disgraceful": -0.85, "disgusting": -0.85, "joke": -0.45, "broken": -0.55,
            "broke": -0.5, "damaged": -0.55, "defective": -0.6, "faulty": -0.55, "torn": -0.45, "ripped": -0.45,
            "stained": -0.45, "dirty": -0.45, "cracked": -0.5, "scratched": -0.45, "dented": -0.45, "crushed": -0.55,
            "smashed": -0.6, "shattered": -0.6, "pieces": -0.3, "late": -0.35, "delayed": -0.45, "delay": -0.35,
            "slow": -0.4, "wrong": -0.45, "missing": -0.45, "lost": -0.4, "problem": -0.35, "problems": -0.35,
            "issue": -0.3, "issues": -0.3, "complaint": -0.45, "complain": -0.45, "refund": -0.05, "refunds": -0.05,
            "return": -0.05, "cancel": -0.05, "expensive": -0.3, "overpriced": -0.55, "flimsy": -0.5, "cheaply": -0.4,
            "fake": -0.9, "counterfeit": -0.9, "knockoff": -0.85, "scam": -0.95, "scammer": -0.95, "scammers": -0.95,
            "scammed": -0.95, "scamming": -0.95, "fraud": -0.95, "frauds": -0.95, "fraudulent": -0.95, "ripoff": -0.95, "thief": -0.95,
            "thieves": -0.95, "stole": -0.6, "stolen": -0.5, "liar": -0.9, "liars": -0.9, "lied": -0.7, "lying": -0.7,
            "chargeback": -0.95, "bbb": -0.9, "lawyer": -0.9, "attorney": -0.9, "sue": -0.9,
            "police": -0.85, "crap": -0.85, "crappy": -0.85, "shit": -0.9, "shitty": -0.9, "garbage": -0.85,
            "trash": -0.8, "junk": -0.75, "wtf": -0.8, "damn": -0.5, "sucks": -0.75, "suck": -0.7, "waste": -0.6,
            "unhappy": -0.6, "dissatisfied": -0.6, "nightmare": -0.75, "disaster": -0.75, "mess": -0.45,
            "misleading": -0.65, "cheated": -0.85, "rude": -0.6, "unprofessional": -0.65, "ghosted": -0.65,
            "ignored": -0.55, "ignoring": -0.55, "ignore": -0.45, "waiting": -0.08, "unfair": -0.6, "smh": -0.45,
            "ugh": -0.5, "meh": -0.3, "seriously": -0.2, "sad": -0.5, "worried": -0.4, "concerned": -0.35,
            "disappointing": -0.6, "mediocre": -0.45, "small": -0.05, "tight": -0.2, "weird": -0.3, "off": -0.05,
            "idiot": -0.95, "idiots": -0.95, "moron": -0.95, "morons": -0.95, "clown": -0.85, "clowns": -0.85,
            "stuck": -0.4, "fed": 0, "excuse": -0.3, "excuses": -0.45, "pointless": -0.6,
            "useless piece": -0.9, "horrendous": -0.85, "atrocious": -0.85, "dreadful": -0.75, "appalling": -0.85,
            // Complaint phrases.
            "one star": -0.9, "1 star": -0.9, "zero stars": -0.9, "0 stars": -0.9, "refund now": -0.95,
            "money back now": -0.95, "my money back": -0.7, "want my money": -0.7, "never arrived": -0.6,
            "never received": -0.6, "never came": -0.6, "never showed up": -0.6, "never again": -0.85,
            "still waiting": -0.5, "report you": -0.9, "reporting you": -0.9, "rip off": -0.95, "ripped off": -0.95,
            "fed up": -0.65, "sick of": -0.65, "had enough": -0.6, "waste of money": -0.8, "waste of time": -0.7,
            "not as described": -0.6, "not as pictured": -0.6, "false advertising": -0.85, "what a joke": -0.75,
            "are you kidding": -0.6, "you kidding me": -0.6, "thanks for nothing": -0.75, "just great": -0.55,
            "too small": -0.4, "too big": -0.35, "too tight": -0.4, "too short": -0.35, "too long": -0.3,
            "runs small": -0.35, "runs large": -0.3, "cheaply made": -0.55, "the worst": -0.85, "legal action": -0.9,
            "filing a claim": -0.85, "file a claim": -0.8, "opening a dispute": -0.9, "open a dispute": -0.9, "open a claim": -0.85, "opening a claim": -0.85,
            "bank claim": -0.9, "not cool": -0.55, "not ok": -0.5, "not okay": -0.5, "no excuse": -0.6,
            "no answer": -0.5, "no reply": -0.5, "no response": -0.5, "nobody replies": -0.5,
            "heard nothing": -0.5, "heard back": 0, "give me a break": -0.5, "come on": -0.35, "at all": 0,
            "in pieces": -0.55, "piece of junk": -0.9, "piece of crap": -0.95, "how hard": -0.5, "so much for": -0.5,
            "not happy": -0.55, "took forever": -0.55, "taking forever": -0.55, "forever": -0.2, "again": 0,
            "another one": 0, "out for delivery": 0, "not the same": -0.45, "different from": -0.3,
            "doesnt match": -0.45, "still no": -0.4, "where is my": -0.25, "wheres my": -0.25,
            "oh great": 0.6, "oh perfect": 0.6, "pleasantly": 0.5, "surprised": 0.2, "nicest": 0.6,
            "kindest": 0.6, "fastest": 0.5, "sweetest": 0.6, "greatest": 0.7, "yas": 0.4, "deserve": 0.3,
            "soon": 0.2, "earlier than": 0.5, "sooner than": 0.5, "quick question": 0, "regret": -0.6,
            "regretting": -0.6, "letdown": -0.6, "let down": -0.6, "shame on you": -0.85,
            "stealing": -0.85, "lowballing": -0.5, "lowball": -0.4, "wasting my time": -0.7, "dies": -0.45,
            "dead": -0.5, "hole": -0.4, "holes": -0.4, "scratches": -0.45, "scratch": -0.4, "fair": 0.3,
            "fault": -0.4, "opened": -0.25, "my bank": -0.85, "reverse the charge": -0.95, "consumer protection": -0.9,
            "disput*": -0.9, "my money back now": -0.95, "itchy": -0.5, "smells": -0.35, "smell": -0.3,
            "stinks": -0.7, "fell apart": -0.6, "falling apart": -0.6, "has a crack": -0.5, "different": -0.3,
            "used": -0.25, "have to wait": -0.4, "twice": -0.25, "third time": -0.4, "and nothing": -0.35,
            "still dont": -0.45, "still havent": -0.45, "still not": -0.4, "complaints": -0.45, "new": 0.15,
            "my bad": 0, "pretty": 0.45, "want my money back now": -0.95, "refund me": -0.6, "refund me now": -0.95,
            "refund immediately": -0.95, "demand a refund": -0.9, "demand my money": -0.9, "demand": -0.4, "fun": 0.5,
            "smells like": -0.35, "out of stock": -0.2,
            // Defects, rudeness, disappointment, threats: general vocabulary beyond the corpus.
            "stain": -0.45, "stains": -0.45, "faded": -0.4, "shrunk": -0.45, "shrank": -0.45, "pilling": -0.4,
            "frayed": -0.45, "rusty": -0.45, "rust": -0.4, "leaking": -0.45, "leaks": -0.45, "leak": -0.4,
            "overheats": -0.5, "overheating": -0.5, "died": -0.45, "stopped working": -0.6, "stopped": -0.2,
            "falls apart": -0.6, "fell off": -0.45, "came off": -0.4, "peeling": -0.4, "bent": -0.4, "soaked": -0.4,
            "wet": -0.3, "moldy": -0.6, "mouldy": -0.6, "smelly": -0.5, "noisy": -0.35, "glitchy": -0.45,
            "buggy": -0.45, "laggy": -0.4, "freezes": -0.4, "crashes": -0.4, "unusable": -0.7, "only works": -0.45,
            "impolite": -0.5, "arrogant": -0.55, "condescending": -0.6, "hostile": -0.6, "aggressive": -0.5,
            "dishonest": -0.75, "shady": -0.65, "sketchy": -0.55, "suspicious": -0.4, "untrustworthy": -0.7,
            "unreliable": -0.6, "unresponsive": -0.6, "ghosting": -0.65, "ignores": -0.5, "cheat": -0.85,
            "cheating": -0.85, "conned": -0.9, "swindled": -0.9, "robbed": -0.85, "robbery": -0.85, "theft": -0.85,
            "hoax": -0.8, "unimpressed": -0.5, "underwhelming": -0.5, "underwhelmed": -0.5, "subpar": -0.55,
            "inferior": -0.5, "shoddy": -0.65, "low quality": -0.55, "cheap quality": -0.5, "hell": -0.4,
            "the hell": -0.5, "bloody": -0.4, "fuck": -0.85, "fucking": -0.5, "bullshit": -0.85, "screw you": -0.9,
            "ages": -0.3, "took ages": -0.5, "expected better": -0.5, "expected more": -0.5, "small claims": -0.9,
            "court": -0.8, "trading standards": -0.9, "consumer rights": -0.85, "ftc": -0.9, "negative review": -0.85,
            "bad review": -0.85, "paypal claim": -0.9, "claim with paypal": -0.9, "credit card company": -0.85,
            "inacceptable": -0.75, "intolerable": -0.8, "outrageous": -0.8, "insane": -0.4, "absurd": -0.55,
            "chipping": -0.45, "chipped": -0.45, "fray*": -0.45, "done with": -0.6, "im done": -0.6,
            "smaller than": -0.35, "bigger than": -0.2, "like a charm": 0.65, "couldnt ask for more": 0.7,
            "cant ask for more": 0.7, "wobbly": -0.4, "squeaks": -0.4, "squeaky": -0.4, "crooked": -0.4,
            "warped": -0.45, "torn apart": -0.6, "ruined": -0.6, "ruin": -0.55,
                        "dont buy": -0.7, "do not buy": -0.7, "avoid": -0.5, "this is too much": -0.5, "too much": -0.2,
            "patient": 0.2, "communication": 0.1,
            "shame": -0.6, "pity": -0.4, "nope": -0.3, "tired of": -0.55, "annoyance": -0.5, "hassle": -0.45,
            // Praise, more of it.
            "early": 0.3, "well packaged": 0.5, "securely": 0.3, "carefully": 0.3, "thoughtful": 0.55,
            "generous": 0.5, "responsive": 0.45, "communicative": 0.45, "accommodating": 0.5, "trustworthy": 0.55,
            "genuine": 0.2, "authentic": 0.2, "original": 0.1, "adore": 0.75, "adorable": 0.7, "ecstatic": 0.85,
            "overjoyed": 0.85, "grateful": 0.5, "thankful": 0.45, "perfection": 0.8, "masterpiece": 0.8, "lit": 0.4,
            "banger": 0.5, "10 out of 10": 0.7, "5 star": 0.6, "five star": 0.6, "pleasant": 0.5, "elegant": 0.5,
            "classy": 0.45, "stylish": 0.5, "true to size": 0.3, "spotless": 0.6, "pristine": 0.6,
            "mint condition": 0.55, "immaculate": 0.65, "exceeded": 0.6, "exceeds": 0.6, "above and beyond": 0.7,
            "terrific": 0.75, "marvelous": 0.8, "marvellous": 0.8, "splendid": 0.7, "lovely": 0.7, "rocks": 0.5,
            "nailed it": 0.6, "recommended": 0.55, "recommending": 0.55, "charged": -0.3, "well": 0,
            // Problem reports without a sentiment word: what fails, tears, leaks or hurts;
            // what should have been; and praise for a problem put right.
            "cutting out": -0.45, "cuts out": -0.45, "switching itself off": -0.45, "switches itself off": -0.45,
            "turns itself off": -0.45, "shuts off": -0.4, "shuts down": -0.35, "keeps turning off": -0.45,
            "wobbles": -0.4, "wobble": -0.35, "grinding": -0.4, "bled": -0.45, "dripped": -0.4, "drips": -0.4,
            "dripping": -0.4, "coming off": -0.4, "peels": -0.4, "hurt": -0.4, "hurts": -0.45, "narrow": -0.2,
            "tear": -0.35, "empty box": -0.5, "empty": -0.3, "the price was": -0.3, "should be": -0.25,
            "supposed to": -0.3, "snapped": -0.5, "loses": -0.3, "locked": -0.3, "someone elses": -0.4,
            "not what": -0.45, "isnt what": -0.5, "wasnt what": -0.5, "not quite what": -0.5,
            "going to answer": -0.35, "going to reply": -0.35, "gonna answer": -0.35, "gonna reply": -0.35,
            "or not": -0.2, "how is it": 0, "how is this": 0, "like a dream": 0.65, "fits like a glove": 0.7,
            "like a glove": 0.65, "in a heartbeat": 0.45, "sweetheart": 0.6, "painless": 0.5, "in no time": 0.5,
            "right away": 0.35, "you fixed": 0.5, "you sorted": 0.5, "you solved": 0.5, "you swapped": 0.4,
            "you replaced": 0.4, "nicer": 0.5, "i used": 0, "used it": 0, "loose": -0.3, "sounds good": 0.05,
            "the size i needed": 0.5, "what i needed": 0.5, "havent paid": 0, "havent paid yet": 0,
            "you havent paid": -0.45, "highlighted": -0.3, "underlined": -0.3, "hasnt moved": -0.45,
            "disconnects": -0.4, "disconnecting": -0.4, "keeps disconnecting": -0.45, "stopped charging": -0.55,
            // Defects as buyers state them, with no sentiment word (as in Spanish above).
            "chip": -0.35, "crack": -0.45, "cracks": -0.45, "sparks": -0.45, "sparking": -0.5, "sticky": -0.35,
            "soggy": -0.4, "worn": -0.35, "worn out": -0.5, "worn once": 0, "worn twice": 0, "barely worn": 0.2,
            "expired": -0.5, "incomplete": -0.5, "rips": -0.4, "jammed": -0.45, "jams": -0.4, "flickers": -0.4,
            "flickering": -0.4, "rattles": -0.4, "rattling": -0.4, "scuffed": -0.4, "scuffs": -0.4,
            "discolored": -0.4, "discoloured": -0.4, "mold": -0.5, "mould": -0.5, "busted": -0.5,
            "unwearable": -0.6, "unplayable": -0.6, "unreadable": -0.5, "falls off": -0.4, "falling off": -0.4,
            "smudged": -0.35, "blurry": -0.35, "crumpled": -0.4, "squashed": -0.45, "leaky": -0.45,
            "came open": -0.4, "not here": -0.4, "nothing here": -0.4, "way off": -0.45, "bit off": -0.3,
            "first wash": -0.35, "first use": -0.3, "first ride": -0.3, "one wash": -0.35, "days after": -0.3,
            "weeks after": -0.35, "fits like a": -0.35, "fits like an": -0.35, "is it normal": -0.35,
            "is this normal": -0.35, "for a used": 0, "love that": 0.7, "love how": 0.7, "oh good": 0.5, "delicious": 0.7, "tasty": 0.6, "yummy": 0.6,
        ],
        intensifiers: [
            "really": 1.3, "so": 1.3, "very": 1.4, "totally": 1.4, "extremely": 1.5, "absolutely": 1.5,
            "completely": 1.4, "incredibly": 1.5, "too": 1.2, "such": 1.2, "truly": 1.3, "super": 1.5, "utterly": 1.5,
            "pretty": 1.1, "way": 1.3, "quite": 1.1, "definitely": 1.3, "highly": 1.4, "seriously": 1.2, "literally": 1.2,
            "at all": 1.4, "so much": 1.3, "mega": 1.5, "most": 1.2, "insanely": 1.5, "hella": 1.4, "wildly": 1.3,
            "a bit": 0.6, "a little": 0.6, "slightly": 0.6, "somewhat": 0.7, "kind of": 0.7, "kinda": 0.7,
            "sort of": 0.7, "you have no idea": 1.3, "freaking": 1.3, "fricking": 1.3, "effing": 1.3, "fucking": 1.5, "damn": 1.3, "crazy": 1.3, "sorta": 0.7, "a tad": 0.6, "fairly": 0.85,
        ],
        negators: [
            "not", "no", "never", "zero", "dnt", "didn", "doesn", "isn", "wasn", "nothing", "none", "nobody", "nor", "without", "cannot", "cant", "dont", "doesnt",
            "didnt", "isnt", "arent", "nobodys", "noone", "wasnt", "werent", "havent", "hasnt", "hadnt", "wont", "wouldnt", "couldnt",
            "shouldnt", "aint", "hardly", "barely", "neither", "nowhere", "lack", "lacks",
        ],
        contrasts: ["but", "however", "except", "only thing", "that said"],
        concessives: ["although", "though", "even though", "even if", "despite"],
        events: [
            "arrived", "arrive", "arrives", "came", "come", "received", "receive", "got", "work", "works", "working",
            "worked", "answer", "answered", "answering", "answers", "respond", "responded", "responding", "response",
            "reply", "replied", "replies", "replying", "fit", "fits", "help", "helped", "helping", "update", "updates",
            "news", "match", "matches", "shipped", "sent", "delivered", "refunded", "showed", "show", "turn on",
            "turns on", "charge", "charges", "heard", "hear", "close", "closes", "open", "opens", "lasts", "last", "updated", "moved", "convinced", "fixed", "solved", "resolved", "sorted", "included",
            "original", "genuine", "authentic", "servido", "back to me", "get back", "word", "communication", "contact", "order", "package", "parcel", "money", "picture", "pictures", "photo", "photos", "description", "described", "advertised", "listing", "ordered", "covered", "solve", "solves", "fix", "fixes", "accept", "pay", "paid",
            "apply", "applied", "shown", "shown up", "show up", "turned up", "told", "told me", "tell", "tells", "manual", "screws",
            "cable", "charger", "instructions", "parts",
        ],
        politeness: [
            "thanks", "thank you", "thank", "thx", "ty", "please", "pls", "plz", "cheers", "regards", "much appreciated",
            "thanks a lot", "thanks so much", "many thanks",
            // Polite openings of a complaint, not apologies for a fault.
            "sorry to bother", "sorry to bother you", "sorry to chase", "sorry to message", "sorry to message again",
            "sorry to bug", "sorry to bug you", "sorry to be a pain", "sorry to ask again", "sorry to insist",
        ],
        sarcasmProne: [
            "great", "perfect", "wonderful", "fantastic", "brilliant", "lovely", "awesome", "nice", "thanks", "thank you",
            "amazing", "excellent", "wow", "oh great", "oh perfect", "sure", "cool", "thanks a lot", "super",
            "incredible", "love", "love that", "love how", "oh good", "good", "beautiful",
        ],
        complaints: [
            "late", "delay*", "broken", "damaged", "defective", "refund*", "return*", "waiting", "tracking", "package",
            "parcel", "order", "shipping", "exchange", "size", "warranty", "money", "charged", "courier", "missing",
        ],
        timeUnits: ["days", "weeks", "week", "months", "month", "hours", "hour", "day", "times"],
        waiting: [
            "still", "waiting", "waited", "been", "already", "over", "more than", "its been", "asked", "told", "messaged",
            "written", "wrote", "emailed", "to reply", "to answer", "to respond", "to arrive", "to ship",
        ],
        another: ["another"],
        conditionals: ["if", "in case", "whether", "not sure", "no idea if"],
        comparatives: ["more", "happier", "better", "such", "expect", "expected", "expecting", "thought"],
        scopeTransparent: [
            "be", "been", "is", "it", "its", "a", "the", "to", "me", "my", "have", "has", "even", "yet", "really",
            "so", "very", "too", "ever", "at", "that", "this", "do", "am", "i", "we", "you", "get", "got", "up",
        ],
        apologies: ["sorry", "so sorry", "apologies", "my bad", "my apologies", "i apologize", "i apologise", "my mistake"],
        discourseMarkers: ["well", "ok", "okay", "fine"],
        challenges: [
            "why", "how come", "whats going on", "what happened", "supposed to", "or not", "how is it", "how is this",
            "is it normal", "is this normal",
        ],
        arrivals: ["arrived", "arrives", "arrive", "came", "come", "comes", "received", "got", "sent", "shipped", "delivered"],
        absences: ["without", "missing", "minus"],
        expectations: [
            "ordered", "bought", "paid for", "i paid", "listed as", "listing says", "ad said", "you said", "told me",
            "supposed to", "promised", "advertised as", "in the ad", "in the listing", "in the photos", "the pictures show",
            "the photos show",
        ],
        reports: [
            "got", "came", "arrived", "received", "sent", "delivered", "charged", "took", "shipped", "refunded",
            "showed up", "gave me", "there were only", "there was only", "the tag says", "label says", "tag says",
        ],
        beliefs: ["expected", "thought", "imagined", "looked", "assumed", "hoped"],
        comparisons: [
            "more", "better", "bigger", "larger", "nicer", "longer", "thicker", "sturdier", "brighter", "softer",
            "higher", "different",
        ],
        restrictives: ["only"],
        functioning: [
            "works", "work", "charges", "charge", "plays", "play", "connects", "connect", "pairs", "pair", "turns on",
            "loads", "heats", "heat", "heat up", "syncs",
        ],
        inquiries: ["any", "or", "does it have", "is there", "are there", "what happens if", "what if"]
    )

    /// Entries both languages write the same way.
    private static let shared = Vocabulary(
        valences: ["ok": 0.05, "okay": 0.05, "okey": 0.05, "xd": 0.2, "wow": 0.4, "top": 0.5, "10": 0, "100": 0]
    )
}
