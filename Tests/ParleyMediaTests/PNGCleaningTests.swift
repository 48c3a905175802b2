import Testing

@testable import ParleyMedia

@Suite struct PNGCleaningTests {
    @Test func dropsTextAndEXIFChunksAndKeepsThePixels() throws {
        let original = try Fixture.bytes("alpha.png")
        for chunk in ["tEXt", "zTXt", "iTXt", "eXIf"] { #expect(Fixture.contains(original, chunk), "fixture lacks \(chunk)") }
        let cleaned = try ImageCleaner().clean(original, as: .png)
        for marker in ["tEXt", "zTXt", "iTXt", "eXIf", "Exif", "ParleyTestPhone", "http://ns.adobe.com/xap"] {
            #expect(!Fixture.contains(cleaned.bytes, marker), "\(marker) survived")
        }
        #expect((cleaned.width, cleaned.height) == (40, 30))
        let before = try NativeCodec.decodePNG(original, maxPixels: 10_000)
        let after = try NativeCodec.decodePNG(cleaned.bytes, maxPixels: 10_000)
        #expect(after.pixels == before.pixels)
    }

    @Test func thumbnailOfATransparentPNGIsAPNGWithItsTransparency() throws {
        let cleaned = try ImageCleaner().clean(try Fixture.bytes("alpha.png"), as: .png)
        #expect(cleaned.thumbnailFormat == .png)
        let thumbnail = try NativeCodec.decodePNG(try #require(cleaned.thumbnail), maxPixels: 10_000)
        #expect((thumbnail.width, thumbnail.height) == (40, 30))
        #expect(thumbnail.pixels[3] == 0)
        #expect(Array(thumbnail.pixels[(39 * 4)..<(40 * 4)]) == [255, 0, 0, 255])
    }

    @Test func truncatedOrGarbagePNGIsNotThatImage() throws {
        let original = try Fixture.bytes("alpha.png")
        let cleaner = ImageCleaner()
        #expect(throws: ImageError.notThatImage(.png)) { try cleaner.clean(Array(original.prefix(original.count - 20)), as: .png) }
        #expect(throws: ImageError.notThatImage(.png)) { try cleaner.clean(PNGStructure.signature + Array(repeating: 7, count: 100), as: .png) }
        #expect(throws: ImageError.notThatImage(.png)) { try cleaner.clean(try Fixture.bytes("phone-upright.jpg"), as: .png) }
        // Whole chunks, but the compressed pixel data is garbage.
        let garbage = TestImages.png(width: 8, height: 8, imageData: Array(repeating: 0x55, count: 40))
        #expect(throws: ImageError.notThatImage(.png)) { try cleaner.clean(garbage, as: .png) }
    }
}

extension PNGCleaningTests {
    @Test func eXIfOrientationSixIsAppliedToThePixels() throws {
        let cleaned = try ImageCleaner().clean(try Fixture.bytes("rotated.png"), as: .png)
        #expect((cleaned.width, cleaned.height) == (30, 40))
        #expect(!Fixture.contains(cleaned.bytes, "eXIf"))
        #expect(!Fixture.contains(cleaned.bytes, "ParleyTestPhone"))
        let pixels = try NativeCodec.decodePNG(cleaned.bytes, maxPixels: 10_000)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { Array(pixels.pixels[((y * 30 + x) * 4)..<((y * 30 + x) * 4 + 3)]) }
        // Stored red top-left, green top-right, blue bottom-left; turned 90° clockwise.
        #expect(pixel(0, 0) == [0, 0, 255])
        #expect(pixel(29, 0) == [255, 0, 0])
        #expect(pixel(29, 39) == [0, 255, 0])
    }
}
