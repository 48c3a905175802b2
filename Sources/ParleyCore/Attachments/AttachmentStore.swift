/// Where attachment records are kept, next to the conversations (same database, same
/// store suite). A message claims its attachment inside `appendMessage`'s transaction
/// (``NewMessage/attachmentID``), so an attachment is sent at most once.
public protocol AttachmentStore: Sendable {
    /// Inserts a new upload.
    func saveAttachment(_ attachment: Attachment) async throws
    /// The attachment, or nil when the id is unknown.
    func attachment(id: String) async throws -> Attachment?
    /// Removes at most `limit` uploads never sent and created before `cutoff`, and says
    /// which of their blob keys no remaining attachment uses.
    func removeUnsentAttachments(createdBefore cutoff: Timestamp, limit: Int) async throws -> RemovedUploads
    /// How many uploads `uploaderID` has not sent yet, and their bytes (for its quota).
    func unsentUploadUsage(of uploaderID: String) async throws -> UploadUsage
    /// Whether any attachment keeps its bytes or its thumbnail under `blobKey`.
    func isBlobKeyInUse(_ blobKey: String) async throws -> Bool
    /// The key stored under `name`, storing `candidate` first when there is none: every
    /// node of a cluster gets the same key (for signed links when no secret is shared).
    func sharedKey(named name: String, candidate: [UInt8]) async throws -> [UInt8]
}
