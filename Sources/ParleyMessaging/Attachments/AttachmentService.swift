import Foundation
import Logging
import NIOCore
import NIOPosix
import ParleyCore
import ParleyMedia

/// Uploads and downloads of attachments: who may, what the bytes are (decided from the
/// bytes, never from the client's word), cleaning images, and where the bytes go.
///
/// An upload arrives in a temporary file (``UploadSpool``); images are read into memory
/// once, cleaned and thumbnailed on a pool of ``imageThreads`` threads (which bounds both
/// the CPU and the memory that decoding takes, however many uploads arrive together);
/// then the bytes go to the blob store and the record to the store. Until a message
/// carries it, an upload is visible to its uploader only.
public final class AttachmentService: Sendable {
    /// Images decoded at once: each may take up to `ImageLimits.maxPixels` × 4 bytes.
    public static let imageThreads = 2

    let store: any ConversationStore & AttachmentStore
    let blobs: any BlobStore
    public let spool: UploadSpool
    public let maxBytes: Int
    let cleaner: ImageCleaner
    let links: LinkSignerSource
    let clock: any WallClock
    let rateLimiter: RateLimiter
    let logger: Logger
    private let imagePool: NIOThreadPool
    private let gate = BlobKeyGate()
    /// Support downloads already in the audit log (`AttachmentService+Audit`).
    let auditThrottle = AuditThrottle()

    public init(
        store: any ConversationStore & AttachmentStore, blobs: any BlobStore, spool: UploadSpool, maxBytes: Int,
        links: AttachmentLinkSigner?, clock: any WallClock, rateLimiter: RateLimiter, logger: Logger,
        cleaner: ImageCleaner = ImageCleaner()
    ) {
        self.store = store
        self.blobs = blobs
        self.spool = spool
        self.maxBytes = maxBytes
        self.links = LinkSignerSource(fixed: links, store: store)
        self.clock = clock
        self.rateLimiter = rateLimiter
        self.logger = logger
        self.cleaner = cleaner
        imagePool = NIOThreadPool(numberOfThreads: Self.imageThreads)
        imagePool.start()
    }

    deinit {
        imagePool.shutdownGracefully { _ in }
    }

    /// Checks, before a byte of the body is read, that `principal` may upload to the
    /// conversation (whoever may send in it), and takes a turn of its rate limit.
    public func authorizeUpload(to conversationID: String, by principal: Principal) async throws {
        try rateLimiter.take(principal.userID)
        guard let conversation = try await store.conversation(id: conversationID) else {
            throw ParleyError.notFound(what: "conversation")
        }
        try Policy.requireCanSend(principal, conversation, type: .file)
        // Attachments are not end-to-end encrypted, and an encrypted message carries none:
        // an upload there could never be sent.
        if conversation.isEncrypted {
            throw ParleyError.invalid(
                field: "conversationId", reason: "end-to-end encrypted conversations take no attachments: it could never be sent")
        }
        let usage = try await store.unsentUploadUsage(of: principal.userID)
        if usage.count >= AttachmentLimits.maxUnsentUploadsPerUser || usage.bytes >= AttachmentLimits.maxUnsentBytesPerUser {
            throw ParleyError.invalid(
                field: "file",
                reason:
                    "\(usage.count) uploads (\(usage.bytes) bytes) not yet sent: at most \(AttachmentLimits.maxUnsentUploadsPerUser) (and \(AttachmentLimits.maxUnsentBytesPerUser) bytes) may wait; send them, or wait for them to expire after 24 h"
            )
        }
    }

    /// Stores a received upload as an attachment of the conversation and removes its
    /// temporary file. `declaredType` is the client's `Content-Type`: an image type that
    /// the bytes are not is refused (`content_type_mismatch`), as is a file named like an
    /// image whose bytes are no image at all.
    public func store(
        _ upload: SpooledUpload, declaredType: String?, name: String?, in conversationID: String, by principal: Principal
    ) async throws -> Attachment {
        defer { spool.discard(upload.path) }
        let sniffed = ContentSniffer.sniff(upload.prefix)
        try Self.checkDeclaration(declaredType, name: AttachmentName.sanitised(name, defaultExtension: ""), sniffed: sniffed)
        let id = Identifier.make(prefix: "a", now: clock.now())
        let blobs = self.blobs
        let store = self.store
        let attachment: Attachment
        if case .image(let format) = sniffed {
            let cleaned = try await clean(upload, as: format)
            let digest = Digest.sha256Hex(cleaned.bytes)
            let thumbnailKey = cleaned.thumbnail == nil ? nil : digest + ".thumb"
            attachment = Attachment(
                attachmentID: id, conversationID: conversationID, uploaderID: principal.userID,
                name: AttachmentName.sanitised(name, defaultExtension: "." + format.rawValue), contentType: format.contentType,
                size: Int64(cleaned.bytes.count), sha256: digest, width: cleaned.width, height: cleaned.height,
                blobKey: digest, thumbnailKey: thumbnailKey, thumbnailContentType: cleaned.thumbnailFormat?.contentType,
                createdAt: clock.now())
            try await gate.withKey(digest) {
                try await blobs.put(key: digest, bytes: cleaned.bytes, contentType: format.contentType)
                if let thumbnailKey, let thumbnail = cleaned.thumbnail, let thumbnailFormat = cleaned.thumbnailFormat {
                    try await blobs.put(key: thumbnailKey, bytes: thumbnail, contentType: thumbnailFormat.contentType)
                }
                try await store.saveAttachment(attachment)
            }
        } else {
            let contentType: String
            let defaultExtension: String
            switch sniffed {
            case .pdf: (contentType, defaultExtension) = ("application/pdf", ".pdf")
            case .other where upload.isText: (contentType, defaultExtension) = ("text/plain", ".txt")
            default: (contentType, defaultExtension) = ("application/octet-stream", "")
            }
            attachment = Attachment(
                attachmentID: id, conversationID: conversationID, uploaderID: principal.userID,
                name: AttachmentName.sanitised(name, defaultExtension: defaultExtension), contentType: contentType,
                size: upload.size, sha256: upload.sha256, width: nil, height: nil, blobKey: upload.sha256, thumbnailKey: nil,
                thumbnailContentType: nil, createdAt: clock.now())
            try await gate.withKey(upload.sha256) {
                try await blobs.put(
                    key: upload.sha256, fromFile: upload.path, size: upload.size, sha256: upload.sha256, contentType: contentType)
                try await store.saveAttachment(attachment)
            }
        }
        logger.info(
            "attachment uploaded",
            metadata: [
                "attachment": "\(attachment.attachmentID)", "conversation": "\(conversationID)",
                "contentType": "\(attachment.contentType)", "size": "\(attachment.size)",
            ])
        return attachment
    }

    /// The attachment's bytes for `principal`: 404 unless it may see the conversation and
    /// the attachment was sent (or it is the uploader); 404 for a file's thumbnail. With
    /// `principal` nil the caller verified a signed link instead.
    public func download(_ attachmentID: String, variant: AttachmentVariant, by principal: Principal?) async throws
        -> AttachmentDownload
    {
        let attachment = try await visibleAttachment(attachmentID, to: principal)
        if variant == .original || attachment.thumbnailKey != nil {
            try await auditSupportDownload(attachment, variant: variant, by: principal)
        }
        switch variant {
        case .original:
            return AttachmentDownload(
                attachment: attachment, variant: variant, blobKey: attachment.blobKey, contentType: attachment.contentType,
                size: attachment.size)
        case .thumbnail:
            guard let key = attachment.thumbnailKey else { throw ParleyError.notFound(what: "thumbnail") }
            return AttachmentDownload(
                attachment: attachment, variant: variant, blobKey: key,
                contentType: attachment.thumbnailContentType ?? "image/jpeg", size: nil)
        }
    }

    /// The bytes of `download` in `range` (all when nil).
    public func bytes(of download: AttachmentDownload, range: ClosedRange<Int64>?) async throws -> BlobBody {
        do {
            return try await blobs.read(key: download.blobKey, range: range)
        } catch BlobStoreError.notFound {
            // The record outlived its bytes (a blob store emptied by hand): say so in the
            // log, and to the client as for anything it cannot have.
            logger.error("attachment bytes missing", metadata: ["attachment": "\(download.attachment.attachmentID)"])
            throw ParleyError.notFound(what: "attachment")
        }
    }

    /// Verifies a signed link's query (403 `forbidden` when it fails).
    public func verifyLink(_ attachmentID: String, expires: String?, signature: String?) async throws {
        try await links.current().verify(attachmentID, expires: expires, signature: signature, now: clock.now())
    }

    /// A link to the attachment that works without a token for five minutes.
    public func link(to attachmentID: String, by principal: Principal) async throws -> (url: String, expiresAt: Timestamp) {
        try rateLimiter.take(principal.userID)
        let attachment = try await visibleAttachment(attachmentID, to: principal)
        try await auditSupportDownload(attachment, variant: nil, by: principal)
        return try await links.current().link(to: attachmentID, now: clock.now())
    }

    /// Removes at most `batch` uploads never sent within
    /// ``AttachmentLimits/unsentLifetimeMilliseconds``, and the bytes no other attachment
    /// uses. Returns how many uploads went.
    @discardableResult
    public func removeExpiredUploads(batch: Int = AttachmentJanitor.batch) async throws -> Int {
        let cutoff = Timestamp(millisecondsSince1970: clock.now().millisecondsSince1970 - AttachmentLimits.unsentLifetimeMilliseconds)
        let removed = try await store.removeUnsentAttachments(createdBefore: cutoff, limit: batch)
        let blobs = self.blobs
        let store = self.store
        for key in removed.unusedBlobKeys {
            // Checked again under the key's gate: an upload of the same bytes may have
            // come in since. A failure leaves this blob as an orphan, not the others.
            do {
                // Under the gate of the content key: an upload holds that one while it
                // writes both the bytes and their thumbnail.
                try await gate.withKey(Self.contentKey(of: key)) {
                    if try await !store.isBlobKeyInUse(key) { try await blobs.delete(key: key) }
                }
            } catch {
                logger.error("deleting the bytes of an unsent upload failed", metadata: ["blob": "\(key)", "error": "\(error)"])
            }
        }
        if removed.count > 0 {
            logger.info("removed unsent uploads", metadata: ["uploads": "\(removed.count)", "blobs": "\(removed.unusedBlobKeys.count)"])
        }
        return removed.count
    }

    private func visibleAttachment(_ attachmentID: String, to principal: Principal?) async throws -> Attachment {
        guard let attachment = try await store.attachment(id: attachmentID) else {
            throw ParleyError.notFound(what: "attachment")
        }
        guard let principal else { return attachment }
        if attachment.messageID == nil {
            // Unsent: its uploader's only.
            guard attachment.uploaderID.isSameID(as: principal.userID) else { throw ParleyError.notFound(what: "attachment") }
            return attachment
        }
        guard let conversation = try await store.conversation(id: attachment.conversationID),
            Policy.canSee(principal, conversation)
        else { throw ParleyError.notFound(what: "attachment") }
        return attachment
    }

    /// Reads and cleans the image on the image pool.
    private func clean(_ upload: SpooledUpload, as format: ImageFormat) async throws -> CleanedImage {
        let cleaner = self.cleaner
        let path = upload.path
        let result: Result<CleanedImage, ImageError> = try await imagePool.runIfActive {
            let bytes = try Self.readFile(path)
            do throws(ImageError) { return .success(try cleaner.clean(bytes, as: format)) } catch { return .failure(error) }
        }
        switch result {
        case .success(let image): return image
        case .failure(.notThatImage(let format)):
            throw ParleyError.contentTypeMismatch(declared: format.contentType, actual: "not a readable \(format.rawValue) image")
        case .failure(.tooLarge(let width, let height)):
            throw ParleyError.invalid(field: "file", reason: "an image of \(width)×\(height) pixels is larger than the server decodes")
        case .failure(.unsupported(let what)):
            throw ParleyError.invalid(field: "file", reason: "unsupported image: \(what)")
        }
    }

    /// The whole file, in one allocation (images only: at most the attachment limit).
    private static func readFile(_ path: String) throws -> [UInt8] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        return [UInt8](data)
    }

    /// The content key a blob key belongs to: its thumbnail's key is `<content>.thumb`.
    static func contentKey(of key: String) -> String {
        key.hasSuffix(".thumb") ? String(key.dropLast(".thumb".count)) : key
    }

    /// The declaration rules of the contract: a declared image type must be what the
    /// bytes are; a name with an image extension must at least be an image.
    static func checkDeclaration(_ declaredType: String?, name: String?, sniffed: SniffedContent) throws(ParleyError) {
        let actual: String =
            switch sniffed {
            case .image(let format): format.contentType
            case .pdf: "application/pdf"
            case .other: "not an image"
            }
        if let declaredType, let declared = ImageFormat(contentType: declaredType), sniffed != .image(declared) {
            throw .contentTypeMismatch(declared: declared.contentType, actual: actual)
        }
        // Any other image type (SVG, HEIC, BMP…) is not one the server takes as an image:
        // declared, the bytes cannot be "that image".
        let essence = declaredType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if essence.hasPrefix("image/"), ImageFormat(contentType: essence) == nil {
            throw .contentTypeMismatch(declared: essence, actual: actual + " (images are JPEG, PNG, WebP or GIF)")
        }
        if case .image = sniffed { return }
        if let name, let dot = name.lastIndex(of: "."),
            let named = ImageFormat(fileExtension: String(name[name.index(after: dot)...]))
        {
            throw .contentTypeMismatch(declared: named.contentType, actual: actual)
        }
    }
}

extension ImageFormat {
    /// The format a file name's extension names (`jpg`, `JPEG`, `png`…).
    init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "jpg", "jpeg", "jpe": self = .jpeg
        case "png": self = .png
        case "webp": self = .webp
        case "gif": self = .gif
        default: return nil
        }
    }
}
