import ParleyCore
import Testing

@testable import ParleyMedia

/// The lossless turn of JPEGs with an EXIF orientation (parley_jpeg_transform): DCT
/// coefficients moved within and across blocks, compared with decoding the original and
/// turning its pixels; and the pixel path where the turn cannot be exact.
@Suite struct JPEGLosslessTurnTests {
    static let turns: [ImageOrientation] = [.upMirrored, .down, .downMirrored, .leftMirrored, .right, .rightMirrored, .left]
    /// Bounds on decode(turned) against decode(original) turned. The coefficients are the
    /// same; what differs is libjpeg's rounding in the inverse DCT and in fancy chroma
    /// upsampling, which are not symmetric under mirroring. Measured on the fixtures: a
    /// mean of at most 0.10 per channel (4:2:0 mirrored) and a largest difference of 3
    /// (4:2:2). Pixels turned and re-encoded at quality 90 measure 1.72 and 8.
    static let maxMeanDifference = 0.5
    static let maxDifference = 4
    /// Generous limits for these small images.
    static let maxPixels = 100_000

    @Test(arguments: ["turn-420.jpg", "turn-444.jpg", "turn-progressive-icc.jpg", "turn-grey.jpg"])
    func everyTurnMatchesTurningTheDecodedPixels(fixture: String) throws {
        let original = try Fixture.bytes(fixture)
        let decoded = try NativeCodec.decodeJPEG(original, scaleDenominator: 1, maxPixels: Self.maxPixels).image
        for orientation in Self.turns {
            let turned = try #require(
                try NativeCodec.turnJPEGLosslessly(original, orientation: orientation, maxPixels: Self.maxPixels), "\(orientation)")
            let structure = try JPEGStructure.parse(turned)
            let sides = orientation.swapsSides ? (decoded.height, decoded.width) : (decoded.width, decoded.height)
            #expect((structure.width, structure.height) == sides, "\(fixture) \(orientation)")
            let actual = try NativeCodec.decodeJPEG(turned, scaleDenominator: 1, maxPixels: Self.maxPixels).image
            let difference = try PixelDifference(actual, decoded.oriented(orientation))
            #expect(difference.means.allSatisfy { $0 < Self.maxMeanDifference }, "\(fixture) \(orientation): \(difference)")
            #expect(difference.largest < Self.maxDifference, "\(fixture) \(orientation): \(difference)")
            // The bound tells turns apart: the pattern turned otherwise (same sides) is far off.
            let other = Self.turns.first { $0 != orientation && $0.swapsSides == orientation.swapsSides }!
            let wrong = try PixelDifference(actual, decoded.oriented(other))
            #expect(wrong.means.contains { $0 > 10 }, "\(fixture) \(orientation) looks like \(other): \(wrong)")
            // Baseline output, whatever the input: no progressive frame.
            #expect(Fixture.contains(turned, [0xFF, 0xC0]) && !Fixture.contains(turned, [0xFF, 0xC2]))
        }
    }

    @Test func cleanerTurnsLosslesslyWithoutMetadataAndKeepsTheICCProfile() throws {
        let original = try Fixture.bytes("turn-progressive-icc.jpg")
        for orientation in Self.turns {
            let upload = Self.withMetadata(original, orientation: orientation)
            let cleaned = try ImageCleaner().clean(upload, as: .jpeg)
            // Exactly what the lossless turn makes of the stripped upload.
            let stripped = try JPEGStructure.parse(upload).stripped
            #expect(cleaned.bytes == (try NativeCodec.turnJPEGLosslessly(stripped, orientation: orientation, maxPixels: Self.maxPixels)))
            for marker in ["Exif", "http://ns.adobe.com/xap", "ParleyTestPhone"] {
                #expect(!Fixture.contains(cleaned.bytes, marker), "\(marker) survived \(orientation)")
            }
            #expect(Fixture.contains(cleaned.bytes, "ICC_PROFILE"))
            #expect((cleaned.width, cleaned.height) == (orientation.swapsSides ? (32, 48) : (48, 32)))
            let thumbnail = try NativeCodec.decodeJPEG(try #require(cleaned.thumbnail), scaleDenominator: 1, maxPixels: Self.maxPixels).image
            #expect((thumbnail.width, thumbnail.height) == (cleaned.width, cleaned.height))
            // Cleaning again finds an upright photo and keeps it byte for byte.
            #expect(try ImageCleaner().clean(cleaned.bytes, as: .jpeg).bytes == cleaned.bytes)
        }
    }

    @Test func onlyWholeIMCUsAlongAMirroredSideTurnLosslessly() throws {
        // 40x24 in 4:2:2: iMCUs of 16x8, so the height mirrors exactly and the width does not.
        let original = try Fixture.bytes("turn-422.jpg")
        let decoded = try NativeCodec.decodeJPEG(original, scaleDenominator: 1, maxPixels: Self.maxPixels).image
        for orientation in Self.turns {
            let turned = try NativeCodec.turnJPEGLosslessly(original, orientation: orientation, maxPixels: Self.maxPixels)
            // 4 mirrors y, 5 mirrors nothing, 6 mirrors y; the others mirror x.
            let exact = [.downMirrored, .leftMirrored, .right].contains(orientation)
            #expect((turned != nil) == exact, "\(orientation)")
            guard let turned else { continue }
            let actual = try NativeCodec.decodeJPEG(turned, scaleDenominator: 1, maxPixels: Self.maxPixels).image
            let difference = try PixelDifference(actual, decoded.oriented(orientation))
            #expect(difference.means.allSatisfy { $0 < Self.maxMeanDifference } && difference.largest < Self.maxDifference, "\(difference)")
        }
    }

    @Test func sizesThatAreNotWholeIMCUsAndCMYKFallBackToThePixelPath() throws {
        // libjpeg's defaults are 4:2:0: iMCUs of 16x16, and 40x24 is neither.
        let original = try TestImages.jpeg(width: 40, height: 24, quality: 95)
        let decoded = try NativeCodec.decodeJPEG(original, scaleDenominator: 1, maxPixels: Self.maxPixels).image
        for orientation in Self.turns where orientation != .leftMirrored {
            #expect(try NativeCodec.turnJPEGLosslessly(original, orientation: orientation, maxPixels: Self.maxPixels) == nil, "\(orientation)")
            let cleaned = try ImageCleaner().clean(Self.withMetadata(original, orientation: orientation), as: .jpeg)
            let actual = try NativeCodec.decodeJPEG(cleaned.bytes, scaleDenominator: 1, maxPixels: Self.maxPixels).image
            // Re-encoded at quality 90: a second generation of loss (measured: means up
            // to 1.72, largest 8), still close.
            let difference = try PixelDifference(actual, decoded.oriented(orientation))
            #expect(difference.means.allSatisfy { $0 < 3 } && difference.largest < 16, "\(orientation): \(difference)")
        }
        // A transposition has no mirror, so any size turns exactly.
        #expect(try NativeCodec.turnJPEGLosslessly(original, orientation: .leftMirrored, maxPixels: Self.maxPixels) != nil)
        let cmyk = try JPEGStructure.parse(try Fixture.bytes("cmyk-rotated.jpg")).stripped
        #expect(try NativeCodec.turnJPEGLosslessly(cmyk, orientation: .left, maxPixels: Self.maxPixels) == nil)
    }

    @Test func oversizedJPEGIsRefusedFromItsHeader() throws {
        let original = try Fixture.bytes("turn-420.jpg")
        #expect(throws: CodecFailure.tooLarge) { try NativeCodec.turnJPEGLosslessly(original, orientation: .right, maxPixels: 1000) }
    }

    @Test func truncatedGarbageAndDamagedJPEGsFailOrTurnButNeverCrash() throws {
        let original = try Fixture.bytes("turn-progressive-icc.jpg")
        let baseline = try Fixture.bytes("turn-444.jpg")
        for source in [original, baseline] {
            // Every cut that loses scan data is an error (libjpeg's early end is one here).
            for length in stride(from: 0, to: source.count - 2, by: 7) {
                #expect(throws: CodecFailure.self) {
                    try NativeCodec.turnJPEGLosslessly(Array(source.prefix(length)), orientation: .right, maxPixels: Self.maxPixels)
                }
            }
        }
        #expect(throws: CodecFailure.self) {
            try NativeCodec.turnJPEGLosslessly([0xFF, 0xD8, 0xFF] + Array(repeating: 0x41, count: 300), orientation: .right, maxPixels: Self.maxPixels)
        }
        #expect(throws: CodecFailure.self) { try NativeCodec.turnJPEGLosslessly([], orientation: .down, maxPixels: Self.maxPixels) }
        // Damaged bytes: libjpeg may fill in (as browsers do); whatever comes out decodes.
        var random = SeededGenerator(state: 14)
        var turnedCount = 0
        for round in 0..<400 {
            var damaged = round % 2 == 0 ? original : baseline
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                damaged[Int.random(in: 2..<damaged.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            let orientation = Self.turns[round % Self.turns.count]
            guard let turned = try? NativeCodec.turnJPEGLosslessly(damaged, orientation: orientation, maxPixels: Self.maxPixels) else { continue }
            turnedCount += 1
            #expect(throws: Never.self) { try NativeCodec.decodeJPEG(turned, scaleDenominator: 1, maxPixels: Self.maxPixels) }
        }
        #expect(turnedCount > 0, "no damaged JPEG turned: the loop tested only failures")
    }

    /// `jpeg` with an APP1 EXIF (orientation only) and an APP1 XMP after its SOI, as a phone writes.
    static func withMetadata(_ jpeg: [UInt8], orientation: ImageOrientation) -> [UInt8] {
        let ifd: [UInt8] = [0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, UInt8(orientation.rawValue), 0, 0, 0, 0, 0, 0]
        let exif = Array("Exif\0\0MM".utf8) + [0, 42, 0, 0, 0, 8] + ifd
        let xmp = Array("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta CreatorTool=\"ParleyTestPhone\"/>".utf8)
        func app1(_ payload: [UInt8]) -> [UInt8] { [0xFF, 0xE1, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload }
        return [0xFF, 0xD8] + app1(exif) + app1(xmp) + Array(jpeg.dropFirst(2))
    }
}

/// How far two RGB images of one size are apart: the mean absolute difference per
/// channel and the largest one.
struct PixelDifference: CustomStringConvertible {
    struct SizeMismatch: Error {}

    var means: [Double]
    var largest: Int

    init(_ actual: PixelImage, _ expected: PixelImage) throws {
        guard actual.width == expected.width, actual.height == expected.height, actual.channels == expected.channels else {
            throw SizeMismatch()
        }
        var sums = [Int](repeating: 0, count: actual.channels)
        largest = 0
        for index in actual.pixels.indices {
            let difference = abs(Int(actual.pixels[index]) - Int(expected.pixels[index]))
            sums[index % actual.channels] += difference
            largest = max(largest, difference)
        }
        let count = Double(actual.width * actual.height)
        means = sums.map { Double($0) / count }
    }

    var description: String {
        "mean " + means.map { String(Int(($0 * 100).rounded())) }.joined(separator: "/") + " (hundredths), largest \(largest)"
    }
}
