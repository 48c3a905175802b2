// libFuzzer target: what ImageCleaner does with an upload declared as an image, through
// our parsers (JPEG markers, EXIF, PNG chunks, GIF blocks and LZW, WebP RIFF) and the C
// wrappers over libjpeg-turbo, libpng and libwebp. The first byte picks the format, the
// rest is the upload. Whatever it is, cleaning either throws an ImageError or gives an
// image within the limits whose served bytes clean again to the same size.

/// Small limits keep each run fast under AddressSanitizer; the paths are the same.
let fuzzLimits: ImageLimits = {
    var limits = ImageLimits()
    limits.maxPixels = 1_000_000
    limits.maxSide = 4_000
    limits.thumbnailSide = 64
    return limits
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImageCleaner(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let format = ImageFormat.allCases[Int(bytes[0]) % ImageFormat.allCases.count]
    let upload = Array(UnsafeBufferPointer(start: bytes + 1, count: count - 1))
    _ = ContentSniffer.sniff(upload)
    let cleaner = ImageCleaner(limits: fuzzLimits)
    guard let cleaned = try? cleaner.clean(upload, as: format) else { return 0 }
    precondition(cleaned.format == format, "format changed")
    precondition(cleaned.width > 0 && cleaned.height > 0 && cleaned.width * cleaned.height <= fuzzLimits.maxPixels, "size out of limits")
    precondition((cleaned.thumbnail == nil) == (cleaned.thumbnailFormat == nil), "thumbnail without format")
    precondition(ContentSniffer.sniff(cleaned.bytes) == .image(format), "cleaned bytes do not sniff as \(format)")
    do {
        let again = try cleaner.clean(cleaned.bytes, as: format)
        precondition(again.width == cleaned.width && again.height == cleaned.height, "cleaning again changed the size")
    } catch {
        preconditionFailure("the cleaned \(format) does not clean again: \(error)")
    }
    return 0
}
