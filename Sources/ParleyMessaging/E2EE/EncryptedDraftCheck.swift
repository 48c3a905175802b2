import ParleyCore

/// The checks of an encrypted message's draft that need nothing stored: no content, a
/// `text` type, a `clientMessageId` (it is part of the signed data), and the envelope's
/// sizes. The sender's device and signature are checked against the directory after.
enum EncryptedDraftCheck {
    static func validate(_ draft: MessageDraft, envelope: EncryptedEnvelope, fieldPrefix: String) throws(ParleyError) {
        let field = fieldPrefix + "encrypted"
        if !draft.content.isEmpty {
            throw .invalid(field: fieldPrefix + "content", reason: "an encrypted message carries no content: it is inside the ciphertext")
        }
        if draft.type != .text { throw .invalid(field: fieldPrefix + "type", reason: "an encrypted message is of type text") }
        if draft.attachmentID != nil {
            throw .invalid(field: fieldPrefix + "attachmentId", reason: "attachments are not end-to-end encrypted: not in an encrypted message")
        }
        guard let clientMessageID = draft.clientMessageID else {
            throw .invalid(field: fieldPrefix + "clientMessageId", reason: "required for an encrypted message (it is signed)")
        }
        try Validation.externalID(clientMessageID, field: fieldPrefix + "clientMessageId")
        try Validation.externalID(envelope.deviceID, field: field + ".deviceId")
        // Both are fields of the signed "<conv>|<epoch>|<sender>|<device>|<cmid>": a `|`
        // inside one would let two messages sign the same bytes. User ids may hold `|`
        // (`auth0|…`): with the last two fields free of it, the sender is what lies
        // between the epoch and the device, so the text still reads one way only.
        if clientMessageID.contains("|") {
            throw .invalid(field: fieldPrefix + "clientMessageId", reason: "may not contain `|` in an encrypted message (it is signed)")
        }
        if envelope.deviceID.contains("|") {
            throw .invalid(field: field + ".deviceId", reason: "may not contain `|`: no device id does")
        }
        if envelope.epoch < 1 { throw .invalid(field: field + ".epoch", reason: "must be 1 or more") }
        _ = try Base64URL.field(envelope.iv, field: field + ".iv", count: E2EELimits.ivBytes)
        _ = try Base64URL.field(
            envelope.ciphertext, field: field + ".ciphertext", minCount: E2EELimits.minCiphertextBytes,
            maxCount: E2EELimits.maxCiphertextBytes)
        _ = try Base64URL.field(envelope.signature, field: field + ".signature", count: E2EELimits.signatureBytes)
        if let inner = envelope.commitment {
            _ = try Base64URL.field(inner, field: field + ".commitment", count: E2EELimits.commitmentBytes)
        }
        if let outer = draft.commitment {
            _ = try Base64URL.field(outer, field: fieldPrefix + "commitment", count: E2EELimits.commitmentBytes)
            if let inner = envelope.commitment, inner != outer {
                throw .invalid(field: fieldPrefix + "commitment", reason: "differs from encrypted.commitment")
            }
        }
    }

    /// The commitment, wherever the draft carried it.
    static func commitment(of draft: MessageDraft) -> String? {
        draft.commitment ?? draft.encrypted?.commitment
    }
}
