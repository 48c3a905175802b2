import ParleyCore

/// `attachment.downloaded`: a `support` caller fetching an attachment's bytes, or a
/// signed link to them (whoever then opens the link is not known, so the link counts as
/// the download). Range requests and repeated fetches of one attachment by one agent
/// leave one leaf per `AuditThrottle.window` and node.
extension AttachmentService {
    func auditSupportDownload(
        _ attachment: Attachment, variant: AttachmentVariant?, by principal: Principal?
    ) async throws {
        guard let principal, principal.role == .support else { return }
        var details: [String: AuditValue] = ["attachmentId": .string(attachment.attachmentID)]
        let via: String
        switch variant {
        case .original?: via = "original"
        case .thumbnail?: via = "thumbnail"
        case nil: via = "link"
        }
        details["variant"] = .string(via)
        let record = AuditRecord(
            time: clock.now(), principal: principal, action: .attachmentDownloaded,
            conversationID: attachment.conversationID, details: details)
        try await AuditRecorder(store: store, throttle: auditThrottle).record(
            record, onceWithinWindow: "download\u{0}\(principal.userID)\u{0}\(attachment.attachmentID)\u{0}\(via)")
    }
}
