import CParleyImage

/// The Swift side of CParleyImage: calls libjpeg-turbo, libpng and (run-time loaded)
/// libwebp, and moves what they allocate into Swift arrays.
enum NativeCodec {
    /// Room for libjpeg's and libpng's error messages (libjpeg's are at most 200 bytes).
    private static let messageCapacity = 256

    /// Decodes a JPEG to RGB at 1/`scaleDenominator` size (1, 2, 4 or 8), with its ICC
    /// profile when asked.
    static func decodeJPEG(_ bytes: [UInt8], scaleDenominator: Int, maxPixels: Int, readingICCProfile: Bool = false)
        throws(CodecFailure) -> (image: PixelImage, iccProfile: [UInt8]?)
    {
        var pixels = parley_pixels()
        var profile = parley_bytes()
        var message = [CChar](repeating: 0, count: messageCapacity)
        let status = bytes.withUnsafeBufferPointer { buffer in
            withUnsafeMutablePointer(to: &profile) { profilePointer in
                parley_jpeg_decode(
                    buffer.baseAddress, buffer.count, Int32(scaleDenominator), UInt64(maxPixels), &pixels,
                    readingICCProfile ? profilePointer : nil, &message, messageCapacity)
            }
        }
        try check(status, message)
        let iccProfile = take(profile)
        return (take(pixels), iccProfile)
    }

    /// Encodes RGB pixels as a JPEG.
    static func encodeJPEG(_ image: PixelImage, quality: Int, iccProfile: [UInt8]? = nil) throws(CodecFailure) -> [UInt8] {
        var output = parley_bytes()
        var message = [CChar](repeating: 0, count: messageCapacity)
        let status = image.pixels.withUnsafeBufferPointer { pixelBuffer in
            var pixels = parley_pixels(
                data: UnsafeMutablePointer(mutating: pixelBuffer.baseAddress), width: Int32(image.width), height: Int32(image.height),
                channels: Int32(image.channels))
            if let iccProfile {
                return iccProfile.withUnsafeBufferPointer { profile in
                    parley_jpeg_encode(&pixels, Int32(quality), profile.baseAddress, profile.count, &output, &message, messageCapacity)
                }
            }
            return parley_jpeg_encode(&pixels, Int32(quality), nil, 0, &output, &message, messageCapacity)
        }
        try check(status, message)
        return take(output) ?? []
    }

    /// Turns a JPEG as EXIF `orientation` (2 to 8) asks without re-encoding it (its DCT
    /// coefficients moved): nil when that cannot be exact (a mirrored side that is not a
    /// whole number of iMCUs, CMYK, RGB), so the caller turns pixels instead.
    static func turnJPEGLosslessly(_ bytes: [UInt8], orientation: ImageOrientation, maxPixels: Int) throws(CodecFailure) -> [UInt8]? {
        var output = parley_bytes()
        var message = [CChar](repeating: 0, count: messageCapacity)
        let status = bytes.withUnsafeBufferPointer { buffer in
            parley_jpeg_transform(
                buffer.baseAddress, buffer.count, Int32(orientation.rawValue), UInt64(maxPixels), &output, &message, messageCapacity)
        }
        if status == PARLEY_IMAGE_NOT_LOSSLESS { return nil }
        try check(status, message)
        return take(output) ?? []
    }

    /// Decodes a PNG to RGBA.
    static func decodePNG(_ bytes: [UInt8], maxPixels: Int) throws(CodecFailure) -> PixelImage {
        try decode(bytes, maxPixels: maxPixels, with: parley_png_decode)
    }

    /// Encodes RGB or RGBA pixels as a PNG.
    static func encodePNG(_ image: PixelImage) throws(CodecFailure) -> [UInt8] {
        var output = parley_bytes()
        var message = [CChar](repeating: 0, count: messageCapacity)
        let status = image.pixels.withUnsafeBufferPointer { pixelBuffer in
            var pixels = parley_pixels(
                data: UnsafeMutablePointer(mutating: pixelBuffer.baseAddress), width: Int32(image.width), height: Int32(image.height),
                channels: Int32(image.channels))
            return parley_png_encode(&pixels, &output, &message, messageCapacity)
        }
        try check(status, message)
        return take(output) ?? []
    }

    /// Whether libwebp.so.7 is installed (Debian's libwebp7).
    static var isWebPAvailable: Bool { parley_webp_available() != 0 }

    /// Decodes a still WebP to RGBA.
    static func decodeWebP(_ bytes: [UInt8], maxPixels: Int) throws(CodecFailure) -> PixelImage {
        try decode(bytes, maxPixels: maxPixels, with: parley_webp_decode)
    }

    /// The C decoders of PNG and WebP share one signature: bytes, a pixel limit, the
    /// pixels out, a message buffer.
    private typealias PixelDecoder = (
        UnsafePointer<UInt8>?, Int, UInt64, UnsafeMutablePointer<parley_pixels>?, UnsafeMutablePointer<CChar>?, Int
    ) -> Int32

    private static func decode(_ bytes: [UInt8], maxPixels: Int, with decoder: PixelDecoder) throws(CodecFailure) -> PixelImage {
        var pixels = parley_pixels()
        var message = [CChar](repeating: 0, count: messageCapacity)
        let status = bytes.withUnsafeBufferPointer { buffer in
            decoder(buffer.baseAddress, buffer.count, UInt64(maxPixels), &pixels, &message, messageCapacity)
        }
        try check(status, message)
        return take(pixels)
    }

    private static func check(_ status: Int32, _ message: [CChar]) throws(CodecFailure) {
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch status {
        case PARLEY_IMAGE_OK: return
        case PARLEY_IMAGE_TOO_LARGE: throw .tooLarge
        case PARLEY_IMAGE_ENCODE_FAILED: throw .encodeFailed(text)
        case PARLEY_IMAGE_UNAVAILABLE: throw .unavailable
        case PARLEY_IMAGE_OUT_OF_MEMORY: throw .decodeFailed("out of memory")
        default: throw .decodeFailed(text)
        }
    }

    private static func take(_ pixels: parley_pixels) -> PixelImage {
        let count = Int(pixels.width) * Int(pixels.height) * Int(pixels.channels)
        let copy = Array(UnsafeBufferPointer(start: pixels.data, count: count))
        parley_image_free(pixels.data)
        return PixelImage(width: Int(pixels.width), height: Int(pixels.height), channels: Int(pixels.channels), pixels: copy)
    }

    private static func take(_ bytes: parley_bytes) -> [UInt8]? {
        guard let data = bytes.data else { return nil }
        let copy = Array(UnsafeBufferPointer(start: data, count: bytes.size))
        parley_image_free(data)
        return copy
    }
}
