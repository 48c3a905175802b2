/// The name an attachment is stored and offered for download under: the uploader's file
/// name without any folder part, control characters or NUL, at most
/// ``AttachmentLimits/maxNameBytes`` bytes; "attachment" plus an extension for the type
/// when none is left.
public enum AttachmentName {
    public static func sanitised(_ raw: String?, defaultExtension: String) -> String {
        var name = raw ?? ""
        // A browser sends only the base name, but older ones sent the whole path.
        if let slash = name.lastIndex(where: { $0 == "/" || $0 == "\\" }) { name = String(name[name.index(after: slash)...]) }
        name = String(String.UnicodeScalarView(name.unicodeScalars.filter { !$0.properties.generalCategory.isControlOrFormat }))
        name = name.trimmingWhitespace()
        if name.isEmpty || name == "." || name == ".." { return "attachment" + defaultExtension }
        return truncated(name, toBytes: AttachmentLimits.maxNameBytes)
    }

    /// `name` cut to `limit` bytes of UTF-8 at a character boundary, keeping a short
    /// extension (`…pdf`) so the download still opens with the right program.
    static func truncated(_ name: String, toBytes limit: Int) -> String {
        guard name.utf8.count > limit else { return name }
        var suffix = ""
        if let dot = name.lastIndex(of: "."), name.distance(from: dot, to: name.endIndex) <= 10 { suffix = String(name[dot...]) }
        var stem = name.dropLast(suffix.count)
        while stem.utf8.count + suffix.utf8.count > limit { stem = stem.dropLast() }
        return String(stem) + suffix
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isControlOrFormat: Bool {
        switch self {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}
