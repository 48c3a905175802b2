import Testing

@testable import ParleyMedia

@Suite struct GIFCleaningTests {
    @Test func dropsCommentsAndXMPButKeepsLoopingAndFrames() throws {
        let original = try Fixture.bytes("animated.gif")
        for marker in ["XMP DataXMP", "ParleyTestPhone", "NETSCAPE2.0"] { #expect(Fixture.contains(original, marker), "fixture lacks \(marker)") }
        let cleaned = try ImageCleaner().clean(original, as: .gif)
        #expect(!Fixture.contains(cleaned.bytes, "XMP DataXMP"))
        #expect(!Fixture.contains(cleaned.bytes, "ParleyTestPhone"))
        #expect(!Fixture.contains(cleaned.bytes, "http://ns.adobe.com/xap"))
        #expect(Fixture.contains(cleaned.bytes, "NETSCAPE2.0"))
        #expect((cleaned.width, cleaned.height) == (30, 20))
        #expect(try GIFStructure.parse(cleaned.bytes).frameSizes.count == 2)
    }

    @Test func thumbnailIsTheFirstFrame() throws {
        let cleaned = try ImageCleaner().clean(try Fixture.bytes("animated.gif"), as: .gif)
        #expect(cleaned.thumbnailFormat == .jpeg)
        let thumbnail = try NativeCodec.decodeJPEG(try #require(cleaned.thumbnail), scaleDenominator: 1, maxPixels: 10_000).image
        #expect((thumbnail.width, thumbnail.height) == (30, 20))
        expectColour(thumbnail, x: 15, y: 3, (255, 0, 0))
        expectColour(thumbnail, x: 15, y: 16, (0, 0, 255))
    }

    @Test func interlacedTransparentGIFDecodesInRowOrder() throws {
        let cleaned = try ImageCleaner().clean(try Fixture.bytes("interlaced.gif"), as: .gif)
        #expect(cleaned.thumbnailFormat == .png)
        let thumbnail = try NativeCodec.decodePNG(try #require(cleaned.thumbnail), maxPixels: 10_000)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { Array(thumbnail.pixels[((y * 32 + x) * 4)..<((y * 32 + x) * 4 + 4)]) }
        #expect(pixel(1, 1)[3] == 0)
        for y in [4, 8, 15] { #expect(pixel(10, y) == [255, 0, 0, 255], "row \(y)") }
        for y in [16, 23, 31] { #expect(pixel(10, y) == [0, 0, 255, 255], "row \(y)") }
    }

    @Test func truncatedOrGarbageGIFIsNotThatImage() throws {
        let original = try Fixture.bytes("animated.gif")
        let cleaner = ImageCleaner()
        #expect(throws: ImageError.notThatImage(.gif)) { try cleaner.clean(Array(original.prefix(60)), as: .gif) }
        #expect(throws: ImageError.notThatImage(.gif)) { try cleaner.clean(Array("GIF89a".utf8) + Array(repeating: 0x99, count: 50), as: .gif) }
        // Found by the fuzzer: a screen descriptor cut short after its flags.
        #expect(throws: ImageError.notThatImage(.gif)) { try cleaner.clean(Array("GIF89a".utf8) + [0x5D, 0x20, 0, 0, 0], as: .gif) }
        #expect(throws: ImageError.notThatImage(.gif)) { try cleaner.clean(try Fixture.bytes("meta.webp"), as: .gif) }
    }
}
