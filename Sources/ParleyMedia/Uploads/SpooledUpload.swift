/// An upload's bytes, received in full into a temporary file, and what was learnt on
/// the way (so that nothing has to read the file again to know it).
public struct SpooledUpload: Sendable {
    /// The temporary file; its owner removes it (``UploadSpool/discard(_:)``).
    public var path: String
    public var size: Int64
    /// Lowercase hex SHA-256 of the bytes.
    public var sha256: String
    /// The first ``ContentSniffer/prefixLength`` bytes, for sniffing the type.
    public var prefix: [UInt8]
    /// Valid UTF-8 without NUL bytes: served as `text/plain`.
    public var isText: Bool
}
