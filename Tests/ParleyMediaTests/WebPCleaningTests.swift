import Testing

@testable import ParleyMedia

@Suite struct WebPCleaningTests {
    @Test func dropsEXIFAndXMPChunksClearsTheirFlagsAndFixesTheRIFFSize() throws {
        let original = try Fixture.bytes("meta.webp")
        for marker in ["EXIF", "XMP ", "ParleyTestPhone"] { #expect(Fixture.contains(original, marker), "fixture lacks \(marker)") }
        let cleaned = try ImageCleaner().clean(original, as: .webp)
        for marker in ["EXIF", "XMP ", "Exif", "ParleyTestPhone", "http://ns.adobe.com/xap"] {
            #expect(!Fixture.contains(cleaned.bytes, marker), "\(marker) survived")
        }
        let reader = ByteReader(bytes: cleaned.bytes)
        #expect(reader.uint32LittleEndian(at: 4) == cleaned.bytes.count - 8)
        #expect(reader.matches(Array("VP8X".utf8), at: 12))
        #expect(cleaned.bytes[20] & 0x0C == 0)
        #expect((cleaned.width, cleaned.height) == (40, 30))
    }

    @Test(.enabled(if: NativeCodec.isWebPAvailable)) func thumbnailComesFromLibWebP() throws {
        let cleaned = try ImageCleaner().clean(try Fixture.bytes("meta.webp"), as: .webp)
        #expect(cleaned.thumbnailFormat == .jpeg)
        let thumbnail = try NativeCodec.decodeJPEG(try #require(cleaned.thumbnail), scaleDenominator: 1, maxPixels: 10_000).image
        #expect((thumbnail.width, thumbnail.height) == (40, 30))
        expectColour(thumbnail, x: 3, y: 3, (255, 0, 0))
        expectColour(thumbnail, x: 36, y: 26, (255, 255, 255))
        #expect(try NativeCodec.decodeWebP(cleaned.bytes, maxPixels: 10_000).width == 40)
    }

    @Test func truncatedOrGarbageWebPIsNotThatImage() throws {
        let original = try Fixture.bytes("meta.webp")
        let cleaner = ImageCleaner()
        #expect(throws: ImageError.notThatImage(.webp)) { try cleaner.clean(Array(original.prefix(original.count / 2)), as: .webp) }
        #expect(throws: ImageError.notThatImage(.webp)) { try cleaner.clean(Array("RIFF\u{8}\u{0}\u{0}\u{0}WEBPJUNK".utf8), as: .webp) }
        if NativeCodec.isWebPAvailable {
            // Whole RIFF structure, garbage VP8 data: only the decoder can tell.
            var broken = original
            for index in 60..<(original.count - 40) { broken[index] = 0x5A }
            #expect(throws: ImageError.notThatImage(.webp)) { try cleaner.clean(broken, as: .webp) }
        }
    }
}
