/// The words contact detection reads, in Spanish and English, folded as `MaskingText`
/// folds them (lower case, no accents).
enum MaskingVocabulary {
    /// Digits written as words, with the common misspellings ("sies", "sinco").
    static let digitWords: [String: String] = [
        "cero": "0", "zero": "0", "uno": "1", "una": "1", "one": "1", "dos": "2", "two": "2", "tres": "3", "three": "3",
        "cuatro": "4", "four": "4", "cinco": "5", "sinco": "5", "five": "5", "seis": "6", "sies": "6", "six": "6",
        "siete": "7", "seven": "7", "ocho": "8", "eight": "8", "nueve": "9", "nuebe": "9", "nine": "9",
    ]

    /// "oh" is a zero only after other digits ("five three oh nine"); Spanish "o" (or) is not.
    static let innerZeroWords: Set<String> = ["oh"]

    /// Two-digit numbers written as one word.
    static let twoDigitWords: [String: String] = [
        "diez": "10", "once": "11", "doce": "12", "trece": "13", "catorce": "14", "quince": "15", "dieciseis": "16",
        "diecisiete": "17", "dieciocho": "18", "diecinueve": "19", "veinte": "20", "veintiuno": "21", "veintiun": "21",
        "veintidos": "22", "veintitres": "23", "veinticuatro": "24", "veinticinco": "25", "veintiseis": "26",
        "veintisiete": "27", "veintiocho": "28", "veintinueve": "29", "ten": "10", "eleven": "11", "twelve": "12",
        "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
        "nineteen": "19", "twenty": "20",
    ]

    /// Tens that take a unit after them ("sesenta y seis", "thirty four").
    static let tensWords: [String: String] = [
        "veinte": "2", "treinta": "3", "cuarenta": "4", "cincuenta": "5", "sesenta": "6", "setenta": "7", "ochenta": "8",
        "noventa": "9", "twenty": "2", "thirty": "3", "forty": "4", "fourty": "4", "fifty": "5", "sixty": "6", "seventy": "7",
        "eighty": "8", "ninety": "9",
    ]

    /// Hundreds ("seiscientos doce" is 612).
    static let hundredsWords: [String: String] = [
        "cien": "1", "ciento": "1", "doscientos": "2", "trescientos": "3", "cuatrocientos": "4", "quinientos": "5",
        "seiscientos": "6", "setecientos": "7", "ochocientos": "8", "novecientos": "9",
    ]

    /// Words between the digits of a number read out ("seis uno dos y luego tres…").
    static let readingFillers: Set<String> = ["y", "luego", "despues", "and", "then"]

    /// Words that repeat the digit after them ("doble seis" is 66).
    static let repeatWords: [String: Int] = ["doble": 2, "double": 2, "triple": 3]

    /// Words that say the number near them is a phone number; the prefixes catch
    /// "llámame", "llamarme", "whatsapeame", "guasapea", "telefono"…
    static let phoneCues: Set<String> = [
        "tel", "telf", "tlf", "tlfn", "tfno", "tno", "movil", "mobil", "cel", "cell", "celular", "mobile", "phone", "call", "text",
        "sms", "bizum", "numero", "num", "nro", "number", "contacto", "contact", "escribeme", "escribe", "escribir", "toque",
        "ring", "dial", "reach", "fijo", "wsp", "wpp", "wa", "telegram", "signal", "mensaje", "message", "llamada",
    ]
    static let phoneCuePrefixes = ["llam", "telef", "whats", "wats", "wasa", "guasa", "whasa", "movi", "phon", "textme"]

    /// Words that say the number near them is an order, a parcel, an account or a
    /// product, not a phone.
    static let blockCues: Set<String> = [
        "pedido", "pedidos", "ped", "order", "orden", "ref", "referencia", "reference", "factura", "invoice", "fac", "inv", "tracking",
        "track", "seguimiento", "localizador", "envio", "codigo", "code", "albaran", "ticket", "rma", "dni", "nif", "nie", "cif",
        "iban", "cuenta", "account", "imei", "serie", "serial", "sku", "ean", "isbn", "lote", "cp", "postal", "zip", "dhl", "ups",
        "usps", "fedex", "seur", "mrw", "gls", "nacex", "correos", "tnt", "ctt", "transferencia", "transfer", "modelo", "model",
        "talla", "tallas", "size", "sizes", "loteria", "expediente", "incidencia", "case", "devolucion", "return", "vuelo", "flight",
        "habitacion", "room", "bastidor", "vin", "matricula", "sort", "anuncio", "listing", "id", "item", "articulo", "producto",
        "product", "tarjeta", "card",
    ]

    /// Words after a number that make it a price, a measure, a quantity or a duration.
    static let unitWords: Set<String> = [
        "eur", "euro", "euros", "usd", "dolares", "dollars", "bucks", "pounds", "libras", "quid", "gbp", "cm", "mm", "m", "km",
        "kg", "g", "gr", "grs", "l", "ml", "cl", "gb", "tb", "mb", "mah", "w", "v", "h", "hrs", "horas", "hours", "min", "mins",
        "minutos", "minutes", "dias", "days", "semanas", "weeks", "meses", "months", "anos", "years", "uds", "ud", "unidades",
        "units", "pares", "pairs", "piezas", "pieces", "pcs", "pulgadas", "inches", "x", "veces", "times", "k", "mil",
        "thousand", "percent", "porciento", "pack", "cajas", "boxes", "litros", "kilos", "metros", "plazas", "puertas",
    ]

    /// Marks a link without a scheme may follow.
    static let linkCues: Set<String> = [
        "web", "pagina", "website", "site", "link", "enlace", "url", "entra", "visita", "visit", "tienda", "store", "shop", "blog",
    ]

    /// Top-level domains read as a link's end.
    static let topLevelDomains: Set<String> = [
        "com", "net", "org", "es", "io", "ly", "me", "co", "info", "biz", "shop", "store", "online", "site", "app", "link", "page",
        "xyz", "eu", "uk", "fr", "it", "pt", "mx", "ar", "cl", "pe", "ca", "gle", "ee", "cat", "dev", "ai", "nl", "ch", "tv", "gg",
        "us", "de", "club", "top", "live", "art", "gal", "eus", "br", "uy", "ve", "ec", "bo", "py", "au", "ie", "pl", "ro",
    ]

    /// Top-level domains that are also everyday words (or the first word of a sentence
    /// typed without a space after the full stop: "gracias.me llega").
    static let wordLikeDomains: Set<String> = ["me", "es", "it", "us", "de", "co", "pe", "ar", "art", "live", "top", "in", "to"]

    /// Sites whose links are contact details whatever their domain.
    static let contactSites: Set<String> = [
        "wa", "t", "telegram", "instagram", "instagr", "facebook", "fb", "m", "tiktok", "twitter", "x", "snapchat", "linktr",
        "bit", "tinyurl", "paypal", "wallapop", "vinted", "milanuncios", "ebay", "amazon", "etsy", "api", "chat", "whatsapp",
        "youtube", "youtu", "forms", "goo", "discord", "signal", "wechat", "threads", "linkedin", "pinterest", "shopify",
    ]

    /// E-mail providers: "ana at gmail" is an address without its domain.
    static let mailProviders: Set<String> = [
        "gmail", "googlemail", "hotmail", "yahoo", "outlook", "icloud", "msn", "protonmail", "proton", "gmx", "aol", "yandex",
        "telefonica", "movistar", "ymail", "zoho", "gmial", "hotmial", "gmal",
    ]

    /// Words written for "@" and for "."
    static let atWords: Set<String> = ["arroba", "at"]
    static let dotWords: Set<String> = ["punto", "dot"]

    /// Networks a handle is given for ("mi insta es ana.tienda").
    static let handleCues: Set<String> = [
        "instagram", "instagran", "insta", "ig", "telegram", "telegran", "tg", "tiktok", "snapchat", "snap", "facebook", "face",
        "fb", "twitter", "signal", "discord", "skype", "threads", "kik", "wechat", "vinted", "wallapop", "pinterest",
    ]

    /// Words between a network and the handle ("búscame en telegram como anatienda").
    static let handleConnectors: Set<String> = [
        "es", "is", "como", "as", "soy", "im", "me", "encuentras", "find", "usuario", "user", "username", "nombre", "name",
        "handle", "el", "aka", "sale", "aparezco", "the",
    ]
    /// Connectors that say a handle follows.
    static let explicitHandleConnectors: Set<String> = [
        "es", "is", "como", "as", "soy", "im", "usuario", "user", "username", "nombre", "name", "handle", "aka", "aparezco",
    ]

    /// Everyday words that are never a handle, a mailbox or a domain name on their own.
    static let commonWords: Set<String> = [
        "el", "la", "los", "las", "lo", "un", "una", "unos", "unas", "y", "e", "o", "u", "de", "del", "al", "a", "en", "por", "para",
        "con", "sin", "que", "es", "se", "me", "te", "mi", "tu", "su", "mas", "muy", "ya", "si", "no", "pero", "como", "hoy",
        "manana", "luego", "aqui", "ahi", "alli", "eso", "esto", "esta", "este", "ese", "esa", "mismo", "misma", "nuevo", "nueva",
        "privado", "privada", "publico", "publica", "cerrado", "cerrada", "abierto", "bien", "mal", "vale", "ok", "okay", "hola",
        "gracias", "perfecto", "genial", "claro", "bueno", "pues", "entonces", "tambien", "igual", "todo", "nada", "algo", "foto",
        "fotos", "cuenta", "nombre", "usuario", "perfil", "ahora", "siempre", "nunca", "hay", "muchas", "mucho", "poco", "sale",
        "the", "an", "and", "or", "of", "to", "in", "on", "at", "is", "it", "my", "you", "your", "i", "we", "our", "for", "with",
        "new", "private", "public", "same", "here", "there", "now", "later", "too", "thanks", "thank", "great", "yes", "sure",
        "fine", "good", "cool", "please", "pls", "account", "name", "page", "profile", "marketplace", "soon", "today", "tomorrow",
        "also", "but", "so", "then", "this", "that", "what", "who", "him", "her", "them", "us", "work", "home", "all", "not",
        "dm", "md", "privi", "priv", "mensaje", "message", "chat", "story", "stories", "live", "directo", "link", "bio",
    ]
}
