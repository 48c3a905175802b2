import Foundation
import ParleyCore
import Testing

/// `AttachmentStore` (issue 14): uploads, their claim by the message that sends them
/// (inside the append), search by file name, and the removal of unsent uploads with the
/// blobs no other upload uses, the same on both stores.
extension StoreBehaviour {
    private static func attachmentStore(_ store: any ConversationStore) throws -> any AttachmentStore {
        try #require(store as? any AttachmentStore)
    }

    private static func upload(
        _ id: String, in conversationID: String, by uploader: String = "buyer1", contentType: String = "image/jpeg",
        blob: String = String(repeating: "a", count: 64), at offset: Int64 = 0, name: String = "paquete roto.jpg"
    ) -> ParleyCore.Attachment {
        let isImage = contentType.hasPrefix("image/")
        return ParleyCore.Attachment(
            attachmentID: id, conversationID: conversationID, uploaderID: uploader, name: name, contentType: contentType,
            size: 48_213, sha256: blob, width: isImage ? 1200 : nil, height: isImage ? 900 : nil, blobKey: blob,
            thumbnailKey: isImage ? blob + ".thumb" : nil, thumbnailContentType: isImage ? "image/jpeg" : nil,
            createdAt: Make.time(offset))
    }

    private static func sending(_ attachmentID: String, in conversationID: String, from sender: String = "buyer1", type: MessageType = .image)
        -> NewMessage
    {
        var message = Make.message(conversationID, from: sender, "")
        message.type = type
        message.attachmentID = attachmentID
        return message
    }

    static func anUploadIsClaimedOnceByItsUploadersMessageInItsConversation(_ store: any ConversationStore) async throws {
        let attachments = try attachmentStore(store)
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        let other = try await store.createConversation(Make.conversation(orderID: "o2")).conversation.conversationID
        let photo = upload("a_photo", in: id)
        try await attachments.saveAttachment(photo)
        try await attachments.saveAttachment(upload("a_pdf", in: id, contentType: "application/pdf", blob: String(repeating: "b", count: 64)))
        #expect(try await attachments.attachment(id: "a_photo") == photo)
        #expect(try await attachments.attachment(id: "a_missing") == nil)

        // Refused inside the write, with nothing stored: another conversation, another
        // sender, a file as an image, an unknown id.
        for (request, why) in [
            (sending("a_photo", in: other), "another conversation"),
            (sending("a_photo", in: id, from: "seller1"), "another sender"),
            (sending("a_pdf", in: id, type: .image), "a PDF as an image"),
            (sending("a_missing", in: id), "unknown"),
        ] {
            await #expect(throws: ParleyError.self, "\(why)") { try await store.appendMessage(request) }
        }
        #expect(try await store.conversation(id: id)?.lastSeq == 0)

        let sent = try await store.appendMessage(sending("a_photo", in: id)).message
        #expect(sent.annotations.attachment == photo.messageAttachment)
        #expect(try await attachments.attachment(id: "a_photo")?.messageID == sent.messageID)
        // Every read gives the attachment back.
        #expect(try await store.messages(conversationID: id, page: MessagePageRequest(anchor: .newest, limit: 10)).messages.last?.annotations.attachment == photo.messageAttachment)
        // Sent once only.
        do {
            _ = try await store.appendMessage(sending("a_photo", in: id))
            Issue.record("an upload was sent twice")
        } catch let error as ParleyError {
            #expect(error == .invalid(field: "attachmentId", reason: "this upload was already sent"))
        }
        // A file goes as a file, with a caption.
        var withCaption = sending("a_pdf", in: id, type: .file)
        withCaption.content = "la factura de marzo"
        let file = try await store.appendMessage(withCaption).message
        #expect(file.annotations.attachment?.contentType == "application/pdf" && file.content == "la factura de marzo")
    }

    static func searchFindsAttachmentsByCaptionAndFileName(_ store: any ConversationStore) async throws {
        let attachments = try attachmentStore(store)
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        try await attachments.saveAttachment(upload("a_invoice", in: id, contentType: "application/pdf", name: "Factura_marzo_2026.pdf"))
        var message = sending("a_invoice", in: id, type: .file)
        message.content = "aquí tienes el envío"
        _ = try await store.appendMessage(message)
        for words in ["factura", "marzo", "envio"] {
            let page = try await store.search(
                SearchQuery(viewerID: "seller1", viewerSeesEverything: false, terms: TextAnalyzer.queryTerms(words)))
            #expect(page.messages.count == 1, "\(words)")
        }
    }

    static func unsentUploadsAreRemovedWithTheBlobsNothingElseUses(_ store: any ConversationStore) async throws {
        let attachments = try attachmentStore(store)
        let id = try await store.createConversation(Make.conversation()).conversation.conversationID
        let shared = String(repeating: "c", count: 64)
        let alone = String(repeating: "d", count: 64)
        // Old and unsent: one shares its bytes with a sent upload, one with a recent upload.
        try await attachments.saveAttachment(upload("a_old_shared", in: id, blob: shared, at: 0))
        try await attachments.saveAttachment(upload("a_sent", in: id, blob: shared, at: 0))
        _ = try await store.appendMessage(sending("a_sent", in: id))
        try await attachments.saveAttachment(upload("a_old_alone", in: id, contentType: "text/plain", blob: alone, at: 1))
        try await attachments.saveAttachment(upload("a_recent", in: id, blob: String(repeating: "e", count: 64), at: 10_000))

        let removable = try await attachments.removeUnsentAttachments(createdBefore: Make.time(5_000), limit: 100)
        #expect(removable == RemovedUploads(count: 2, unusedBlobKeys: [alone]))
        #expect(try await attachments.attachment(id: "a_old_shared") == nil)
        #expect(try await attachments.attachment(id: "a_old_alone") == nil)
        #expect(try await attachments.attachment(id: "a_sent") != nil)
        #expect(try await attachments.attachment(id: "a_recent") != nil)
        #expect(try await attachments.removeUnsentAttachments(createdBefore: Make.time(5_000), limit: 100).count == 0)
    }

    static func aSharedKeyIsStoredOnceAndTheSameForEveryCaller(_ store: any ConversationStore) async throws {
        let attachments = try attachmentStore(store)
        let first = Array(repeating: UInt8(7), count: 32)
        let second = Array(repeating: UInt8(9), count: 32)
        #expect(try await attachments.sharedKey(named: "attachment-links", candidate: first) == first)
        // A second node (or a restart) brings another candidate and gets the first key.
        #expect(try await attachments.sharedKey(named: "attachment-links", candidate: second) == first)
        #expect(try await attachments.sharedKey(named: "other", candidate: second) == second)
    }
}
