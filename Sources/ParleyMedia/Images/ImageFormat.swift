import Foundation

/// The image formats the server accepts, cleans and serves as images.
public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg
    case png
    case webp
    case gif

    /// The media type the server stores and serves for this format.
    public var contentType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        case .gif: "image/gif"
        }
    }

    /// The format a declared `Content-Type` names, ignoring case and parameters
    /// (`image/PNG; charset=binary` is PNG); nil for anything that is not one of ours.
    public init?(contentType: String) {
        let essence = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        switch essence.trimmingCharacters(in: .whitespaces).lowercased() {
        case "image/jpeg", "image/jpg", "image/pjpeg": self = .jpeg
        case "image/png", "image/x-png": self = .png
        case "image/webp": self = .webp
        case "image/gif": self = .gif
        default: return nil
        }
    }
}
