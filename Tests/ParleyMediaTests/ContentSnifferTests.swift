import Testing

@testable import ParleyMedia

@Suite struct ContentSnifferTests {
    @Test func recognisesEachImageFormatFromItsBytes() throws {
        #expect(ContentSniffer.sniff(try Fixture.bytes("phone-upright.jpg")) == .image(.jpeg))
        #expect(ContentSniffer.sniff(try Fixture.bytes("alpha.png")) == .image(.png))
        #expect(ContentSniffer.sniff(try Fixture.bytes("animated.gif")) == .image(.gif))
        #expect(ContentSniffer.sniff(try Fixture.bytes("meta.webp")) == .image(.webp))
    }

    @Test func recognisesPDF() {
        #expect(ContentSniffer.sniff(Array("%PDF-1.7\n%âãÏÓ\n1 0 obj".utf8)) == .pdf)
    }

    @Test func htmlNamedLikeAnImageIsOther() {
        #expect(ContentSniffer.sniff(Array("<!DOCTYPE html><html><script>alert(1)</script>".utf8)) == .other)
        #expect(ContentSniffer.sniff(Array("<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>".utf8)) == .other)
    }

    @Test func shortOrForeignRIFFIsOther() {
        #expect(ContentSniffer.sniff([UInt8]()) == .other)
        #expect(ContentSniffer.sniff([0xFF, 0xD8]) == .other)
        #expect(ContentSniffer.sniff(Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt ".utf8)) == .other)
        #expect(ContentSniffer.sniff(Array("RIFF".utf8)) == .other)
    }

    @Test func readsOnlyThePrefix() {
        let pdfLater = [UInt8](repeating: 0x20, count: ContentSniffer.prefixLength) + Array("%PDF-1.4".utf8)
        #expect(ContentSniffer.sniff(pdfLater) == .other)
    }

    @Test func contentTypesParseWithParametersAndCase() {
        #expect(ImageFormat(contentType: "image/png; charset=binary") == .png)
        #expect(ImageFormat(contentType: " IMAGE/JPEG ") == .jpeg)
        #expect(ImageFormat(contentType: "image/webp") == .webp)
        #expect(ImageFormat(contentType: "image/gif;x=y") == .gif)
        #expect(ImageFormat(contentType: "image/svg+xml") == nil)
        #expect(ImageFormat(contentType: "text/html") == nil)
        for format in ImageFormat.allCases { #expect(ImageFormat(contentType: format.contentType) == format) }
    }
}
