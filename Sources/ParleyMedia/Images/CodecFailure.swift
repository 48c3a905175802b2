/// Why a call into libjpeg, libpng or libwebp failed.
enum CodecFailure: Error, Sendable, Equatable {
    case decodeFailed(String)
    case tooLarge
    case encodeFailed(String)
    /// libwebp is not installed.
    case unavailable

    /// The failure as the cleaner reports it for an upload of `format`.
    func imageError(_ format: ImageFormat, width: Int, height: Int) -> ImageError {
        switch self {
        case .decodeFailed, .unavailable: .notThatImage(format)
        case .tooLarge: .tooLarge(width: width, height: height)
        case .encodeFailed(let message): .unsupported("encoding failed: \(message)")
        }
    }
}
