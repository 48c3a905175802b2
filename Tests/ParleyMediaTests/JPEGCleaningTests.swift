import Testing

@testable import ParleyMedia

@Suite struct JPEGCleaningTests {
    /// Text the fixtures' EXIF, GPS, XMP, IPTC and comment carry.
    static let metadataMarkers = ["Exif", "WGS-84", "ParleyTestPhone", "http://ns.adobe.com/xap", "Photoshop 3.0", "8BIM", "Madrid"]

    @Test func removesEXIFGPSXMPAndIPTCFromARotatedPhoto() throws {
        let original = try Fixture.bytes("phone-rotated.jpg")
        for marker in Self.metadataMarkers { #expect(Fixture.contains(original, marker), "fixture lacks \(marker)") }
        let cleaned = try ImageCleaner().clean(original, as: .jpeg)
        for marker in Self.metadataMarkers { #expect(!Fixture.contains(cleaned.bytes, marker), "\(marker) survived") }
    }

    @Test func removesMetadataLosslesslyFromAnUprightPhotoAndKeepsItsICCProfile() throws {
        let original = try Fixture.bytes("phone-upright.jpg")
        let cleaned = try ImageCleaner().clean(original, as: .jpeg)
        for marker in Self.metadataMarkers { #expect(!Fixture.contains(cleaned.bytes, marker), "\(marker) survived") }
        #expect(Fixture.contains(cleaned.bytes, "ICC_PROFILE"))
        #expect((cleaned.width, cleaned.height) == (64, 48))
        // Lossless: the scan data is the original's, byte for byte.
        let scanStart = try #require(cleaned.bytes.firstRange(of: [0xFF, 0xDA]))
        let tail = Array(cleaned.bytes[scanStart.lowerBound...])
        #expect(Fixture.contains(original, tail))
        #expect(cleaned.bytes.suffix(2) == [0xFF, 0xD9])
    }

    @Test func orientationSixSwapsSidesAndTurnsThePixels() throws {
        let cleaned = try ImageCleaner().clean(try Fixture.bytes("phone-rotated.jpg"), as: .jpeg)
        #expect((cleaned.width, cleaned.height) == (48, 64))
        let pixels = try NativeCodec.decodeJPEG(cleaned.bytes, scaleDenominator: 1, maxPixels: 10_000).image
        #expect((pixels.width, pixels.height) == (48, 64))
        // Stored: red top-left, green top-right, blue bottom-left, white bottom-right;
        // turned 90° clockwise: blue top-left, red top-right, white bottom-left, green bottom-right.
        expectColour(pixels, x: 4, y: 4, (0, 0, 255))
        expectColour(pixels, x: 43, y: 4, (255, 0, 0))
        expectColour(pixels, x: 4, y: 59, (255, 255, 255))
        expectColour(pixels, x: 43, y: 59, (0, 255, 0))
        // The re-encoded image carries no orientation of its own to be applied twice.
        #expect(!Fixture.contains(cleaned.bytes, "Exif"))
    }

    @Test func thumbnailOfATurnedPhotoIsTurnedToo() throws {
        let cleaned = try ImageCleaner().clean(try Fixture.bytes("phone-rotated.jpg"), as: .jpeg)
        #expect(cleaned.thumbnailFormat == .jpeg)
        let thumbnail = try NativeCodec.decodeJPEG(try #require(cleaned.thumbnail), scaleDenominator: 1, maxPixels: 10_000).image
        #expect((thumbnail.width, thumbnail.height) == (48, 64))
        expectColour(thumbnail, x: 43, y: 4, (255, 0, 0))
    }

    @Test func cmykPhotoWithOrientationEightIsTurnedToRGB() throws {
        let cleaned = try ImageCleaner().clean(try Fixture.bytes("cmyk-rotated.jpg"), as: .jpeg)
        #expect((cleaned.width, cleaned.height) == (16, 32))
        let pixels = try NativeCodec.decodeJPEG(cleaned.bytes, scaleDenominator: 1, maxPixels: 10_000).image
        // Turned 90° anticlockwise: green top-left, red bottom-left.
        expectColour(pixels, x: 3, y: 3, (0, 255, 0))
        expectColour(pixels, x: 3, y: 28, (255, 0, 0))
    }

    @Test func truncatedOrGarbageJPEGIsNotThatImage() throws {
        let original = try Fixture.bytes("phone-upright.jpg")
        let cleaner = ImageCleaner()
        #expect(throws: ImageError.notThatImage(.jpeg)) { try cleaner.clean(Array(original.prefix(original.count * 2 / 3)), as: .jpeg) }
        #expect(throws: ImageError.notThatImage(.jpeg)) { try cleaner.clean([0xFF, 0xD8, 0xFF] + Array(repeating: 0x41, count: 200), as: .jpeg) }
        #expect(throws: ImageError.notThatImage(.jpeg)) { try cleaner.clean(Array("<html>".utf8), as: .jpeg) }
        #expect(throws: ImageError.notThatImage(.jpeg)) { try cleaner.clean(try Fixture.bytes("alpha.png"), as: .jpeg) }
        #expect(throws: ImageError.notThatImage(.jpeg)) { try cleaner.clean([], as: .jpeg) }
    }

    @Test func cleaningTwiceChangesNothingMore() throws {
        let cleaner = ImageCleaner()
        let once = try cleaner.clean(try Fixture.bytes("phone-rotated.jpg"), as: .jpeg)
        let twice = try cleaner.clean(once.bytes, as: .jpeg)
        #expect(twice.bytes == once.bytes)
        #expect((twice.width, twice.height) == (once.width, once.height))
    }
}

/// Checks a pixel's colour within JPEG's loss.
func expectColour(
    _ image: PixelImage, x: Int, y: Int, _ expected: (Int, Int, Int), tolerance: Int = 40, sourceLocation: SourceLocation = #_sourceLocation
) {
    let index = (y * image.width + x) * image.channels
    let actual = (Int(image.pixels[index]), Int(image.pixels[index + 1]), Int(image.pixels[index + 2]))
    let close = abs(actual.0 - expected.0) <= tolerance && abs(actual.1 - expected.1) <= tolerance && abs(actual.2 - expected.2) <= tolerance
    #expect(close, "pixel (\(x), \(y)) is \(actual), expected \(expected)", sourceLocation: sourceLocation)
}

extension JPEGCleaningTests {
    @Test func jfifThumbnailIsDropped() throws {
        // APP0 JFIF 1.01 with a 2 x 1 RGB thumbnail (6 bytes of 0xAB) before the photo's own segments.
        let jfif: [UInt8] = [0xFF, 0xE0, 0x00, 0x16] + Array("JFIF\0".utf8) + [1, 1, 0, 0, 1, 0, 1, 2, 1] + Array(repeating: 0xAB, count: 6)
        let photo = try TestImages.jpeg(width: 40, height: 20)
        let cleaned = try ImageCleaner().clean(Array(photo.prefix(2)) + jfif + Array(photo.dropFirst(2)), as: .jpeg)
        #expect(!Fixture.contains(cleaned.bytes, Array(repeating: 0xAB, count: 6)))
        #expect(Array(cleaned.bytes[2..<20]) == [0xFF, 0xE0, 0x00, 0x10] + Array("JFIF\0".utf8) + [1, 1, 0, 0, 1, 0, 1, 0, 0])
    }
}
