/// The rule for sending an upload, checked by both stores inside the write that stores the
/// message (`appendMessage`), so that the check and the claim are one step.
public enum AttachmentClaim {
    /// What `request` may carry as its attachment: `attachment` must exist, have been
    /// uploaded to the same conversation by the same sender and not yet be sent; an
    /// `image` message needs an image. Otherwise 400 naming `attachmentId`.
    public static func check(_ attachment: Attachment?, for request: NewMessage) throws(ParleyError) -> MessageAttachment {
        guard let attachment, attachment.conversationID == request.conversationID,
            attachment.uploaderID.isSameID(as: request.senderID)
        else {
            throw .invalid(field: "attachmentId", reason: "no upload of yours with this id in this conversation")
        }
        guard attachment.messageID == nil else {
            throw .invalid(field: "attachmentId", reason: "this upload was already sent")
        }
        if request.type == .image, !attachment.isImage {
            throw .invalid(field: "attachmentId", reason: "an image message needs an image (this is \(attachment.contentType))")
        }
        return attachment.messageAttachment
    }
}
