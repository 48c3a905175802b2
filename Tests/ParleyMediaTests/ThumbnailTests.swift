import Testing

@testable import ParleyMedia

@Suite struct ThumbnailTests {
    let cleaner = ImageCleaner()

    @Test func wideJPEGThumbnailFitsTheLongestSideKeepingTheAspect() throws {
        let cleaned = try cleaner.clean(try TestImages.jpeg(width: 1_000, height: 500), as: .jpeg)
        #expect((cleaned.width, cleaned.height) == (1_000, 500))
        #expect(cleaned.thumbnailFormat == .jpeg)
        let thumbnail = try NativeCodec.decodeJPEG(try #require(cleaned.thumbnail), scaleDenominator: 1, maxPixels: 1_000_000).image
        #expect((thumbnail.width, thumbnail.height) == (320, 160))
        // The gradient survives the shrink: dark on the left, bright on the right.
        expectColour(thumbnail, x: 2, y: 80, (0, 128, 128), tolerance: 24)
        expectColour(thumbnail, x: 317, y: 80, (255, 128, 128), tolerance: 24)
    }

    @Test func tallOpaquePNGThumbnailIsAJPEG() throws {
        let cleaned = try cleaner.clean(try TestImages.opaquePNG(width: 500, height: 1_000), as: .png)
        #expect(cleaned.thumbnailFormat == .jpeg)
        let thumbnail = try NativeCodec.decodeJPEG(try #require(cleaned.thumbnail), scaleDenominator: 1, maxPixels: 1_000_000).image
        #expect((thumbnail.width, thumbnail.height) == (160, 320))
    }

    @Test func smallImagesAreNeverEnlarged() throws {
        let cleaned = try cleaner.clean(try TestImages.jpeg(width: 100, height: 50), as: .jpeg)
        let thumbnail = try NativeCodec.decodeJPEG(try #require(cleaned.thumbnail), scaleDenominator: 1, maxPixels: 1_000_000).image
        #expect((thumbnail.width, thumbnail.height) == (100, 50))
    }

    @Test func fittedSizesKeepTheAspectAndAtLeastOnePixel() {
        #expect(PixelImage.fittedSize(width: 4_000, height: 3_000, side: 320) == (320, 240))
        #expect(PixelImage.fittedSize(width: 3_000, height: 4_000, side: 320) == (240, 320))
        #expect(PixelImage.fittedSize(width: 20_000, height: 3, side: 320) == (320, 1))
        #expect(PixelImage.fittedSize(width: 320, height: 320, side: 320) == (320, 320))
        #expect(PixelImage.fittedSize(width: 1, height: 1, side: 320) == (1, 1))
    }

    @Test func everyOrientationMapsCornersAsEXIFSays() {
        // A 3 x 2 image whose pixels are their own indices 0...5.
        let image = PixelImage(width: 3, height: 2, channels: 3, pixels: (0..<6).flatMap { [UInt8($0), 0, 0] })
        let expected: [ImageOrientation: [UInt8]] = [
            .up: [0, 1, 2, 3, 4, 5], .upMirrored: [2, 1, 0, 5, 4, 3], .down: [5, 4, 3, 2, 1, 0], .downMirrored: [3, 4, 5, 0, 1, 2],
            .leftMirrored: [0, 3, 1, 4, 2, 5], .right: [3, 0, 4, 1, 5, 2], .rightMirrored: [5, 2, 4, 1, 3, 0], .left: [2, 5, 1, 4, 0, 3],
        ]
        for (orientation, indices) in expected {
            let turned = image.oriented(orientation)
            #expect(stride(from: 0, to: turned.pixels.count, by: 3).map { turned.pixels[$0] } == indices, "\(orientation)")
            #expect(turned.width == (orientation.swapsSides ? 2 : 3))
        }
    }
}
