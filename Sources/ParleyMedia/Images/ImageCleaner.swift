/// Makes an uploaded image safe to store and serve: sizes read from the header and
/// checked against `ImageLimits` before any decoding, EXIF/XMP/IPTC removed, the EXIF
/// orientation applied to the pixels (JPEG), the image proven to decode, and a thumbnail.
///
/// CPU-heavy and synchronous: call it off the event loops (a thread pool).
///
/// ```swift
/// let cleaned = try ImageCleaner().clean(uploadBytes, as: .jpeg)
/// store(cleaned.bytes); store(cleaned.thumbnail)
/// ```
public struct ImageCleaner: Sendable {
    /// Re-encoding a turned photo: close to what phones write, without visible loss.
    static let servedJPEGQuality = 90
    /// Thumbnails are small and many; 80 keeps them sharp at a third of the bytes of 95.
    static let thumbnailJPEGQuality = 80

    public let limits: ImageLimits

    public init(limits: ImageLimits = ImageLimits()) {
        self.limits = limits
    }

    /// The image as stored and served, with its thumbnail. Throws `.tooLarge` from the
    /// header alone, `.notThatImage` when the bytes are not a whole image of `format`.
    public func clean(_ bytes: [UInt8], as format: ImageFormat) throws(ImageError) -> CleanedImage {
        switch format {
        case .jpeg: try cleanJPEG(bytes)
        case .png: try cleanPNG(bytes)
        case .gif: try cleanGIF(bytes)
        case .webp: try cleanWebP(bytes)
        }
    }

    /// Refuses sizes past the limits (before anything is decoded).
    func checkSize(width: Int, height: Int, format: ImageFormat) throws(ImageError) {
        guard width > 0, height > 0 else { throw .notThatImage(format) }
        guard width <= limits.maxSide, height <= limits.maxSide, width * height <= limits.maxPixels else {
            throw .tooLarge(width: width, height: height)
        }
    }

    private func cleanJPEG(_ bytes: [UInt8]) throws(ImageError) -> CleanedImage {
        let structure = try JPEGStructure.parse(bytes)
        let (width, height) = (structure.width, structure.height)
        try checkSize(width: width, height: height, format: .jpeg)
        if structure.orientation != .up, let turned = try turnedLosslessly(structure) { return turned }
        // libjpeg's DCT scaling: the thumbnail's source is decoded at the smallest
        // scale still at least thumbnail-sized, so a 12 MP photo is never decoded whole
        // for it. This decode also proves the served bytes decode.
        let denominator = previewScaleDenominator(width: width, height: height)
        let preview: PixelImage
        do {
            preview = try NativeCodec.decodeJPEG(structure.stripped, scaleDenominator: denominator, maxPixels: limits.maxPixels).image
        } catch {
            throw error.imageError(.jpeg, width: width, height: height)
        }
        let thumbnail = try makeThumbnail(preview.oriented(structure.orientation))
        guard structure.orientation != .up else {
            return CleanedImage(
                bytes: structure.stripped, format: .jpeg, width: width, height: height, thumbnail: thumbnail.bytes,
                thumbnailFormat: thumbnail.format)
        }
        // Turned photos the lossless turn cannot take (a mirrored side that is not a
        // whole number of MCUs, CMYK) are decoded, turned and re-encoded: the
        // orientation tag is gone, so the pixels must be upright.
        do {
            let (full, iccProfile) = try NativeCodec.decodeJPEG(
                structure.stripped, scaleDenominator: 1, maxPixels: limits.maxPixels, readingICCProfile: true)
            let upright = full.oriented(structure.orientation)
            let encoded = try NativeCodec.encodeJPEG(upright, quality: Self.servedJPEGQuality, iccProfile: iccProfile)
            return CleanedImage(
                bytes: encoded, format: .jpeg, width: upright.width, height: upright.height, thumbnail: thumbnail.bytes,
                thumbnailFormat: thumbnail.format)
        } catch {
            throw error.imageError(.jpeg, width: width, height: height)
        }
    }

    /// libjpeg's DCT scaling (1/1 to 1/8) that decodes a JPEG smallest while still at
    /// least thumbnail-sized.
    private func previewScaleDenominator(width: Int, height: Int) -> Int {
        var denominator = 8
        while denominator > 1, (max(width, height) + denominator - 1) / denominator < limits.thumbnailSide { denominator /= 2 }
        return denominator
    }

    /// A turned JPEG turned upright in the DCT domain (no pixel decode, no loss: a 12 MP
    /// photo in about 220 ms instead of 500), its thumbnail decoded from the result at a
    /// reduced scale as for an upright photo. Nil when the turn cannot be exact or fails
    /// for any reason: the pixel path then decides (and reports a broken image).
    private func turnedLosslessly(_ structure: JPEGStructure) throws(ImageError) -> CleanedImage? {
        guard
            let bytes = try? NativeCodec.turnJPEGLosslessly(structure.stripped, orientation: structure.orientation, maxPixels: limits.maxPixels),
            // Read back rather than assumed: the served size is the result's.
            let turned = try? JPEGStructure.parse(bytes), turned.orientation == .up
        else { return nil }
        let denominator = previewScaleDenominator(width: turned.width, height: turned.height)
        guard let preview = try? NativeCodec.decodeJPEG(turned.stripped, scaleDenominator: denominator, maxPixels: limits.maxPixels).image
        else { return nil }
        let thumbnail = try makeThumbnail(preview)
        return CleanedImage(
            bytes: turned.stripped, format: .jpeg, width: turned.width, height: turned.height, thumbnail: thumbnail.bytes,
            thumbnailFormat: thumbnail.format)
    }

    private func cleanPNG(_ bytes: [UInt8]) throws(ImageError) -> CleanedImage {
        let structure = try PNGStructure.parse(bytes)
        try checkSize(width: structure.width, height: structure.height, format: .png)
        let decoded: PixelImage
        do {
            decoded = try NativeCodec.decodePNG(structure.stripped, maxPixels: limits.maxPixels)
        } catch {
            throw error.imageError(.png, width: structure.width, height: structure.height)
        }
        let upright = decoded.oriented(structure.orientation)
        let thumbnail = try makeThumbnail(upright)
        guard structure.orientation != .up else {
            return CleanedImage(
                bytes: structure.stripped, format: .png, width: structure.width, height: structure.height, thumbnail: thumbnail.bytes,
                thumbnailFormat: thumbnail.format)
        }
        // Rare (phones write JPEG), so simply re-encoded as 8-bit RGB(A): the colour chunks go.
        do {
            let encoded = try NativeCodec.encodePNG(upright.isOpaque ? upright.droppingAlpha() : upright)
            return CleanedImage(
                bytes: encoded, format: .png, width: upright.width, height: upright.height, thumbnail: thumbnail.bytes,
                thumbnailFormat: thumbnail.format)
        } catch {
            throw error.imageError(.png, width: structure.width, height: structure.height)
        }
    }

    private func cleanGIF(_ bytes: [UInt8]) throws(ImageError) -> CleanedImage {
        let structure = try GIFStructure.parse(bytes)
        try checkSize(width: structure.width, height: structure.height, format: .gif)
        for frame in structure.frameSizes { try checkSize(width: max(frame.width, 1), height: max(frame.height, 1), format: .gif) }
        var thumbnail: (bytes: [UInt8], format: ImageFormat)?
        if let firstFrame = GIFFrameDecoder.decodeFirstFrame(of: structure) { thumbnail = try makeThumbnail(firstFrame) }
        return CleanedImage(
            bytes: structure.stripped, format: .gif, width: structure.width, height: structure.height, thumbnail: thumbnail?.bytes,
            thumbnailFormat: thumbnail?.format)
    }

    private func cleanWebP(_ bytes: [UInt8]) throws(ImageError) -> CleanedImage {
        let structure = try WebPStructure.parse(bytes)
        try checkSize(width: structure.width, height: structure.height, format: .webp)
        var thumbnail: (bytes: [UInt8], format: ImageFormat)?
        // libwebp's simple API decodes still images only; an animation keeps its bytes
        // (checked as RIFF above) and gets no thumbnail, as when libwebp is missing.
        if !structure.isAnimated, NativeCodec.isWebPAvailable {
            let decoded: PixelImage
            do {
                decoded = try NativeCodec.decodeWebP(structure.stripped, maxPixels: limits.maxPixels)
            } catch {
                throw error.imageError(.webp, width: structure.width, height: structure.height)
            }
            thumbnail = try makeThumbnail(decoded)
        }
        return CleanedImage(
            bytes: structure.stripped, format: .webp, width: structure.width, height: structure.height, thumbnail: thumbnail?.bytes,
            thumbnailFormat: thumbnail?.format)
    }

    /// Shrinks to the thumbnail size (never enlarges) and encodes: JPEG when opaque, PNG
    /// when transparency must survive.
    func makeThumbnail(_ image: PixelImage) throws(ImageError) -> (bytes: [UInt8], format: ImageFormat) {
        let small = image.resized(toFitSide: limits.thumbnailSide)
        do {
            if small.isOpaque {
                return (try NativeCodec.encodeJPEG(small.droppingAlpha(), quality: Self.thumbnailJPEGQuality), .jpeg)
            }
            return (try NativeCodec.encodePNG(small), .png)
        } catch {
            throw error.imageError(.png, width: image.width, height: image.height)
        }
    }
}
