import ParleyCore
import Testing

@Suite struct TextAnalysisTests {
    // MARK: - Folding and words

    @Test func foldingRemovesAccentsAndEnye() {
        #expect(TextAnalyzer.fold("Envío") == "envio")
        #expect(TextAnalyzer.fold("ÑANDÚ") == "nandu")
        #expect(TextAnalyzer.fold("pingüino Façade") == "pinguino facade")
        #expect(TextAnalyzer.fold("naïve café résumé") == "naive cafe resume")
        // Already decomposed input folds the same as precomposed input.
        #expect(TextAnalyzer.fold("e\u{301}nvi\u{301}o") == "envio")
        #expect(TextAnalyzer.fold("Plain ASCII 123") == "plain ascii 123")
    }

    @Test func foldingReplacesCompatibilityForms() {
        #expect(TextAnalyzer.fold("Ｐｅｄｉｄｏ") == "pedido")
        #expect(TextAnalyzer.fold("ﬁnal ① ²") == "final 1 2")
        #expect(TextAnalyzer.fold("Straße Ærø Łódź") == "strasse aero lodz")
        #expect(TextAnalyzer.fold("İstanbul") == "istanbul")
        #expect(TextAnalyzer.fold("ΟΔΟΣ") == TextAnalyzer.fold("οδος"))
    }

    @Test func emojiAndPunctuationSeparateWords() {
        #expect(TextAnalyzer.words("¿Cuándo llega el envío?🙂📦") == ["cuando", "llega", "el", "envio"])
        #expect(TextAnalyzer.words("e-mail") == ["e", "mail"])
        #expect(TextAnalyzer.words("pedido#1234") == ["pedido", "1234"])
        #expect(TextAnalyzer.words("👍🏽¡Gracias!👨‍👩‍👧") == ["gracias"])
        #expect(TextAnalyzer.words("don't") == ["don", "t"])
        #expect(TextAnalyzer.words("  ...  🙂 ") == [])
        #expect(TextAnalyzer.words("") == [])
    }

    @Test func marksThatSpellLettersInOtherScriptsStayInTheWord() {
        #expect(TextAnalyzer.words("नमस्ते दुनिया") == ["नमस्ते", "दुनिया"])
    }

    @Test func wordsAreCutAt64Characters() {
        let long = String(repeating: "a", count: 100)
        #expect(TextAnalyzer.words(long + " b") == [String(repeating: "a", count: 64), "b"])
        #expect(TextAnalyzer.words(String(repeating: "é", count: 70)) == [String(repeating: "e", count: 64)])
    }

    @Test func stopWordsAreCommonSpanishAndEnglishWordsButNotQuestionWords() {
        for word in [
            "el", "la", "los", "de", "del", "que", "y", "en", "un", "por", "para", "the", "a", "of", "to",
            "and", "is", "it",
        ] {
            #expect(TextAnalyzer.isStopWord(word), "\(word)")
        }
        for word in ["cuando", "donde", "como", "when", "where", "envio", "pedido", "refund", "son"] {
            #expect(!TextAnalyzer.isStopWord(word), "\(word)")
        }
    }

    // MARK: - Index and query terms

    @Test func envioMatchesItsWordForms() {
        let envio = SpanishStemmer.stem("envio")
        #expect(envio == "envi")
        for word in ["envío", "envio", "envíos", "envios", "enviado", "enviados", "enviar"] {
            #expect(SpanishStemmer.stem(TextAnalyzer.fold(word)) == envio, "\(word)")
        }
        for word in ["pedido", "pedidos"] { #expect(SpanishStemmer.stem(word) == "ped", "\(word)") }
        for word in ["llegó", "llega", "llegar", "llegaron", "llegará"] {
            #expect(SpanishStemmer.stem(TextAnalyzer.fold(word)) == "lleg", "\(word)")
        }
    }

    @Test func shippingMatchesShipped() {
        for word in ["shipping", "shipped", "ships", "ship"] { #expect(EnglishStemmer.stem(word) == "ship", "\(word)") }
        #expect(EnglishStemmer.stem("delivered") == EnglishStemmer.stem("delivering"))
        #expect(EnglishStemmer.stem("delivered") == "deliv")
        #expect(EnglishStemmer.stem("delivery") == "deliveri")
        for word in ["refunds", "refunded", "refund"] { #expect(EnglishStemmer.stem(word) == "refund", "\(word)") }
    }

    @Test func indexTermsHoldEachWordAndItsStemsOnce() {
        #expect(TextAnalyzer.indexTerms("Envíos enviados") == ["envios", "envi", "envio", "enviados", "enviado"])
        #expect(
            TextAnalyzer.indexTerms("¿Cuándo llega el envío?") == ["cuando", "cuand", "llega", "lleg", "envio", "envi"])
        #expect(TextAnalyzer.indexTerms("envío ENVÍO envio") == ["envio", "envi"])
        #expect(TextAnalyzer.indexTerms("pedido #1234") == ["pedido", "ped", "1234"])
        #expect(TextAnalyzer.indexTerms("de la que") == [])
    }

    @Test func everyQueryTermMeetsTheIndexOfAMatchingMessage() {
        let index = Set(TextAnalyzer.indexTerms("Hola, ¿cuándo llegó mi envío? The package was shipped."))
        for query in ["envios", "ENVÍO", "enviados", "llegar", "shipping", "ships", "cuando"] {
            let terms = TextAnalyzer.queryTerms(query)
            #expect(terms.count == 1, "\(query)")
            #expect(terms.allSatisfy { $0.alternatives.contains(where: index.contains) }, "\(query)")
        }
        let unrelated = TextAnalyzer.queryTerms("factura")
        #expect(!unrelated.allSatisfy { $0.alternatives.contains(where: index.contains) })
    }

    @Test func queryTermsOfferTheWordAndBothStems() {
        #expect(
            TextAnalyzer.queryTerms("Envíos") == [QueryTerm(alternatives: ["envios", "envi", "envio"], isPrefix: false)])
        #expect(TextAnalyzer.queryTerms("el pedido") == [QueryTerm(alternatives: ["pedido", "ped"], isPrefix: false)])
        #expect(TextAnalyzer.queryTerms("shipping") == [QueryTerm(alternatives: ["shipping", "ship"], isPrefix: false)])
    }

    @Test func trailingStarMakesAPrefixTerm() {
        #expect(TextAnalyzer.queryTerms("envi*") == [QueryTerm(alternatives: ["envi"], isPrefix: true)])
        #expect(
            TextAnalyzer.queryTerms("Enví* pedido")
                == [
                    QueryTerm(alternatives: ["envi"], isPrefix: true),
                    QueryTerm(alternatives: ["pedido", "ped"], isPrefix: false),
                ])
        // A prefix is kept even when it is a stop word; a star not right after a word is ignored.
        #expect(TextAnalyzer.queryTerms("el*") == [QueryTerm(alternatives: ["el"], isPrefix: true)])
        #expect(TextAnalyzer.queryTerms("* *envio") == [QueryTerm(alternatives: ["envio", "envi"], isPrefix: false)])
    }

    @Test func onlyStopWordsGiveNoTerms() {
        #expect(TextAnalyzer.queryTerms("de la que the of") == [])
        #expect(TextAnalyzer.queryTerms("¿Y el?") == [])
        #expect(TextAnalyzer.queryTerms("") == [])
        #expect(TextAnalyzer.queryTerms("?! 🙂 *") == [])
    }

    @Test func repeatedQueryWordsGiveOneTerm() {
        #expect(
            TextAnalyzer.queryTerms("envío ENVIO envio") == [QueryTerm(alternatives: ["envio", "envi"], isPrefix: false)])
    }

    @Test func queriesKeepTheirFirst32Words() {
        let query = (1...40).map { "w\($0)" }.joined(separator: " ")
        let terms = TextAnalyzer.queryTerms(query)
        #expect(terms.count == TextAnalyzer.maxQueryWords)
        #expect(terms.first == QueryTerm(alternatives: ["w1"], isPrefix: false))
        #expect(terms.last == QueryTerm(alternatives: ["w32"], isPrefix: false))
    }

    // MARK: - Spanish stemmer

    /// Words and stems from the sample vocabulary published with the Snowball Spanish stemmer.
    static let spanishSamples: [(word: String, stem: String)] = [
        ("che", "che"), ("checa", "chec"), ("checar", "chec"), ("checo", "chec"),
        ("checoslovaquia", "checoslovaqui"), ("chedraoui", "chedraoui"), ("chefs", "chefs"), ("chelo", "chel"),
        ("chemical", "chemical"), ("chemise", "chemis"), ("chepo", "chep"), ("cheque", "chequ"),
        ("chequeo", "cheque"), ("cheques", "chequ"), ("chesca", "chesc"), ("chester", "chest"),
        ("chetumaleños", "chetumaleñ"), ("cheyene", "cheyen"), ("cheyenne", "cheyenn"), ("chi", "chi"),
        ("chía", "chi"), ("chiapaneca", "chiapanec"), ("chiapas", "chiap"), ("chica", "chic"), ("chicago", "chicag"),
        ("chicana", "chican"), ("chicano", "chican"), ("chicas", "chic"), ("chicharrones", "chicharron"),
        ("chichimecas", "chichimec"), ("chicles", "chicl"), ("chicos", "chic"),
        ("torá", "tor"), ("tórax", "torax"), ("torcer", "torc"), ("toreado", "tor"), ("toreados", "tor"),
        ("toreándolo", "tor"), ("torear", "tor"), ("toreara", "tor"), ("torearlo", "tor"), ("toreó", "tore"),
        ("torero", "torer"), ("toreros", "torer"), ("torio", "tori"), ("tormenta", "torment"),
        ("tormentas", "torment"), ("tornado", "torn"), ("tornar", "torn"), ("tornen", "torn"), ("torneo", "torne"),
        ("tornillo", "tornill"), ("torniquete", "torniquet"), ("toronto", "toront"), ("toros", "tor"),
        ("torpedearon", "torped"), ("torpeza", "torpez"), ("torrado", "torr"), ("torralba", "torralb"),
        ("torre", "torr"), ("torrencial", "torrencial"), ("torrenciales", "torrencial"), ("torrente", "torrent"),
        ("torreon", "torreon"), ("torreón", "torreon"), ("torres", "torr"), ("torrescano", "torrescan"),
        ("tosferina", "tosferin"), ("tostado", "tost"), ("totales", "total"), ("totalidad", "total"),
        ("totalizó", "totaliz"), ("totalmente", "total"), ("totopos", "totop"), ("touché", "touch"),
        ("toyota", "toyot"), ("toño", "toñ"), ("trabado", "trab"), ("trabaja", "trabaj"), ("trabajaba", "trabaj"),
        ("trabajaban", "trabaj"), ("trabajada", "trabaj"), ("trabajado", "trabaj"), ("trabajador", "trabaj"),
        ("trabajadora", "trabaj"), ("trabajadoras", "trabaj"), ("trabajadores", "trabaj"), ("trabajamos", "trabaj"),
        ("trabajan", "trabaj"), ("trabajando", "trabaj"), ("trabajar", "trabaj"), ("trabajara", "trabaj"),
        ("trabajaron", "trabaj"), ("trabajará", "trabaj"), ("trabajarán", "trabaj"), ("trabajemos", "trabaj"),
        ("trabajen", "trabaj"),
    ]

    @Test func spanishStemsMatchTheSnowballSampleVocabulary() {
        for (word, stem) in Self.spanishSamples {
            #expect(SpanishStemmer.stem(word) == stem, "\(word)")
        }
    }

    @Test func spanishStepsFollowTheSnowballRules() {
        // Step 0: a pronoun attached to a gerund or infinitive in RV; accents on the gerund go.
        #expect(SpanishStemmer.stem("haciéndola") == "hac")
        #expect(SpanishStemmer.stem("diciéndome") == "dic")
        // Step 1: -amente, -mente, -idad, -iva with what may precede them.
        #expect(SpanishStemmer.stem("automáticamente") == "automat")
        #expect(SpanishStemmer.stem("posibilidad") == "posibil")
        #expect(SpanishStemmer.stem("información") == "inform")
        #expect(SpanishStemmer.stem("constitución") == "constitu")
        // Step 2b drops the u of a gu before -en and -es.
        #expect(SpanishStemmer.stem("siguen") == "sig")
        #expect(SpanishStemmer.stem("sigues") == "sig")
        #expect(SpanishStemmer.stem("") == "")
    }

    @Test func unaccentedSpanishSuffixesStemLikeAccentedOnes() {
        let pairs = [
            ("informacion", "información"), ("constitucion", "constitución"), ("metodologia", "metodología"),
            ("comeis", "coméis"), ("hablais", "habláis"), ("llegarian", "llegarían"), ("llegariamos", "llegaríamos"),
            ("comeriais", "comeríais"), ("hablabamos", "hablábamos"), ("quisieramos", "quisiéramos"),
        ]
        for (plain, accented) in pairs {
            #expect(SpanishStemmer.stem(plain) == SpanishStemmer.stem(accented), "\(plain)")
        }
        // Endings that would also strip nouns and -iar verbs are not taken without their accent.
        #expect(SpanishStemmer.stem("farmacia") == "farmaci")
        #expect(SpanishStemmer.stem("cambiamos") == SpanishStemmer.stem("cambiar"))
    }

    // MARK: - English stemmer

    /// Words and stems from the sample vocabulary published with the Snowball English stemmer.
    static let englishSamples: [(word: String, stem: String)] = [
        ("consign", "consign"), ("consigned", "consign"), ("consigning", "consign"), ("consignment", "consign"),
        ("consist", "consist"), ("consisted", "consist"), ("consistency", "consist"), ("consistent", "consist"),
        ("consistently", "consist"), ("consisteth", "consisteth"), ("consisting", "consist"),
        ("consistory", "consistori"), ("consists", "consist"), ("consolate", "consol"), ("consolation", "consol"),
        ("consolations", "consol"), ("consolatory", "consolatori"), ("console", "consol"), ("consoled", "consol"),
        ("consoler", "consol"), ("consoles", "consol"), ("consolidate", "consolid"), ("consolidated", "consolid"),
        ("consolidating", "consolid"), ("consolidation", "consolid"), ("consoling", "consol"),
        ("consolingly", "consol"), ("consols", "consol"), ("consonancy", "conson"), ("consonant", "conson"),
        ("consort", "consort"), ("consorted", "consort"), ("consortest", "consortest"), ("consorting", "consort"),
        ("conspectuities", "conspectu"), ("conspicuous", "conspicu"), ("conspicuously", "conspicu"),
        ("conspiracy", "conspiraci"), ("conspirant", "conspir"), ("conspirator", "conspir"),
        ("conspirators", "conspir"), ("conspire", "conspir"), ("conspired", "conspir"), ("conspiring", "conspir"),
        ("constable", "constabl"), ("constables", "constabl"), ("constance", "constanc"), ("constancy", "constanc"),
        ("constant", "constant"),
        ("knack", "knack"), ("knackeries", "knackeri"), ("knacks", "knack"), ("knag", "knag"), ("knapp", "knapp"),
        ("knapsack", "knapsack"), ("knave", "knave"), ("knaveries", "knaveri"), ("knavery", "knaveri"),
        ("knaves", "knave"), ("knavish", "knavish"), ("kneaded", "knead"), ("kneading", "knead"), ("knee", "knee"),
        ("kneel", "kneel"), ("kneeled", "kneel"), ("kneeling", "kneel"), ("kneels", "kneel"), ("knees", "knee"),
        ("knell", "knell"), ("knelled", "knell"), ("knelt", "knelt"), ("knew", "knew"), ("knewest", "knewest"),
        ("knicknacks", "knicknack"), ("knife", "knife"), ("knight", "knight"), ("knighted", "knight"),
        ("knighthood", "knighthood"), ("knighthoods", "knighthood"), ("knightly", "knight"), ("knights", "knight"),
        ("knightsbridge", "knightsbridg"), ("knit", "knit"), ("knits", "knit"), ("knitted", "knit"),
        ("knitting", "knit"), ("knives", "knive"), ("knob", "knob"), ("knobs", "knob"), ("knocked", "knock"),
        ("knocker", "knocker"), ("knockers", "knocker"), ("knocking", "knock"), ("knocks", "knock"),
        ("knopp", "knopp"), ("knot", "knot"), ("knots", "knot"),
    ]

    @Test func englishStemsMatchTheSnowballSampleVocabulary() {
        for (word, stem) in Self.englishSamples {
            #expect(EnglishStemmer.stem(word) == stem, "\(word)")
        }
    }

    @Test func englishExceptionsAndSpecialCasesFollowTheAlgorithm() {
        let cases = [
            // Exceptional forms.
            ("skies", "sky"), ("sky", "sky"), ("news", "news"), ("early", "earli"), ("only", "onli"),
            ("gently", "gentl"), ("atlas", "atlas"), ("andes", "andes"),
            // A consonant then -ying; words that keep -ing or -eed.
            ("dying", "die"), ("lying", "lie"), ("tying", "tie"), ("herring", "herring"), ("innings", "inning"),
            ("evening", "evening"), ("proceed", "proceed"), ("succeeded", "succeed"),
            // Step 1a and 1b.
            ("caresses", "caress"), ("ponies", "poni"), ("ties", "tie"), ("cries", "cri"), ("gas", "gas"),
            ("gaps", "gap"), ("kiwis", "kiwi"), ("hopping", "hop"), ("hoping", "hope"), ("added", "add"),
            ("agreed", "agre"), ("feed", "feed"),
            // Regions that start after gener, commun, arsen, past, univers, later, emerg, organ.
            ("generously", "generous"), ("communism", "communism"), ("pasted", "paste"),
            ("university", "universiti"), ("laterally", "lateral"), ("emergency", "emergenc"),
            ("organization", "organiz"),
            // -ogist, a y after a vowel, an apostrophe.
            ("geologist", "geolog"), ("saying", "say"), ("customer's", "custom"), ("'tis", "tis"),
            ("by", "by"), ("", ""),
        ]
        for (word, stem) in cases {
            #expect(EnglishStemmer.stem(word) == stem, "\(word)")
        }
    }
}
