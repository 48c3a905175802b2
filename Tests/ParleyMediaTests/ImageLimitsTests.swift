import Testing

@testable import ParleyMedia

/// Decompression bombs: a few bytes of header that claim an enormous image are refused
/// from the header, before any decoder allocates for them.
@Suite struct ImageLimitsTests {
    let cleaner = ImageCleaner()

    @Test func pngClaimingTenGigapixelsIsTooLarge() {
        let bomb = TestImages.png(width: 100_000, height: 100_000, imageData: [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])
        #expect(throws: ImageError.tooLarge(width: 100_000, height: 100_000)) { try cleaner.clean(bomb, as: .png) }
    }

    @Test func jpegClaimingFourGigapixelsIsTooLarge() {
        #expect(throws: ImageError.tooLarge(width: 60_000, height: 60_000)) {
            try cleaner.clean(TestImages.jpegHeader(width: 60_000, height: 60_000), as: .jpeg)
        }
    }

    @Test func webpClaimingTenGigapixelsIsTooLarge() throws {
        let bomb = TestImages.webp(canvasWidth: 100_000, height: 100_000, vp8From: try Fixture.bytes("meta.webp"))
        #expect(throws: ImageError.tooLarge(width: 100_000, height: 100_000)) { try cleaner.clean(bomb, as: .webp) }
    }

    @Test func gifWithAHugeScreenOrAHugeFrameIsTooLarge() throws {
        let hugeScreen = TestImages.gif(screenWidth: 60_000, screenHeight: 60_000, frameWidth: 1, frameHeight: 1)
        #expect(throws: ImageError.tooLarge(width: 60_000, height: 60_000)) { try cleaner.clean(hugeScreen, as: .gif) }
        let hugeFrame = TestImages.gif(screenWidth: 10, screenHeight: 10, frameWidth: 60_000, frameHeight: 60_000)
        #expect(throws: ImageError.tooLarge(width: 60_000, height: 60_000)) { try cleaner.clean(hugeFrame, as: .gif) }
        // The same file with a sane frame is a GIF.
        let sane = TestImages.gif(screenWidth: 10, screenHeight: 10, frameWidth: 1, frameHeight: 1)
        #expect(try cleaner.clean(sane, as: .gif).width == 10)
    }

    @Test func aSideOverTheLimitIsTooLargeEvenWithFewPixels() {
        let strip = TestImages.png(width: 30_000, height: 2, imageData: [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])
        #expect(throws: ImageError.tooLarge(width: 30_000, height: 2)) { try cleaner.clean(strip, as: .png) }
    }

    @Test func limitsAreTheCallersToChoose() throws {
        var limits = ImageLimits()
        limits.maxPixels = 1_000
        #expect(throws: ImageError.tooLarge(width: 64, height: 48)) {
            try ImageCleaner(limits: limits).clean(try Fixture.bytes("phone-upright.jpg"), as: .jpeg)
        }
    }

    @Test(.enabled(if: NativeCodec.isWebPAvailable)) func webpWithCutImageDataIsNotThatImage() throws {
        let cut = TestImages.webp(canvasWidth: 40, height: 30, vp8From: try Fixture.bytes("meta.webp"), vp8Length: 24)
        #expect(throws: ImageError.notThatImage(.webp)) { try cleaner.clean(cut, as: .webp) }
        let whole = TestImages.webp(canvasWidth: 40, height: 30, vp8From: try Fixture.bytes("meta.webp"))
        #expect(try cleaner.clean(whole, as: .webp).thumbnail != nil)
    }
}
