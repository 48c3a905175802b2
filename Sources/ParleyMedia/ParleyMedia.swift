import CParleyImage
import ParleyCore

/// Attachments: type sniffing, image cleaning and thumbnails, and where the bytes live.
public enum ParleyMedia {
    static let imageLibraryVersion = parley_image_version()
}
