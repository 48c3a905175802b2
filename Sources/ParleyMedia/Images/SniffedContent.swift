/// What the first bytes of an upload say it is.
public enum SniffedContent: Sendable, Equatable {
    case image(ImageFormat)
    case pdf
    /// Anything else, stored as a file whatever its name or declared type says.
    case other
}
