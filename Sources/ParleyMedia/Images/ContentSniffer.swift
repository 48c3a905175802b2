/// Decides an upload's type from its magic bytes alone: never from its name or the
/// type the client declares (an HTML page named `foto.png` is `.other`).
public enum ContentSniffer {
    /// How many leading bytes `sniff` needs at most; fewer is fine (the upload may be shorter).
    public static let prefixLength = 64

    private static let jpegMagic: [UInt8] = [0xFF, 0xD8, 0xFF]
    private static let pngMagic: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    private static let gif87Magic = Array("GIF87a".utf8)
    private static let gif89Magic = Array("GIF89a".utf8)
    private static let riffMagic = Array("RIFF".utf8)
    private static let webpMagic = Array("WEBP".utf8)
    private static let pdfMagic = Array("%PDF-".utf8)

    public static func sniff(_ prefix: some Collection<UInt8>) -> SniffedContent {
        let head = Array(prefix.prefix(prefixLength))
        if head.starts(with: jpegMagic) { return .image(.jpeg) }
        if head.starts(with: pngMagic) { return .image(.png) }
        if head.starts(with: gif87Magic) || head.starts(with: gif89Magic) { return .image(.gif) }
        if head.count >= 12, head.starts(with: riffMagic), head[8..<12].elementsEqual(webpMagic) { return .image(.webp) }
        if head.starts(with: pdfMagic) { return .pdf }
        return .other
    }
}
