/// The JSON of a checkpoint (`GET /api/audit/checkpoint`): hashes and signatures in
/// standard base64 with padding, as C2SP checkpoints write them.
public struct AuditCheckpointJSON: Codable, Sendable, Equatable {
    public var treeSize: Int64
    public var rootHash: String
    public var timestamp: String
    public var signature: String

    public init(treeSize: Int64, rootHash: String, timestamp: String, signature: String) {
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.timestamp = timestamp
        self.signature = signature
    }
}
