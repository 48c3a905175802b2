import Foundation
import ParleyCore
import Testing

@testable import ParleyNotify

/// What a push shows of a message: its text, and nothing at all of an end-to-end
/// encrypted one (the contract: no preview for encrypted conversations).
@Suite struct PushPayloadPreviewTests {
    static func message(_ content: String, annotations: MessageAnnotations = .none) -> Message {
        Message(
            messageID: "m_1", conversationID: "c_1", seq: 1, senderID: "buyer1", content: content,
            timestamp: Timestamp(millisecondsSince1970: 0), readBy: [], type: .text, clientMessageID: "c1", annotations: annotations)
    }

    @Test func aPlainMessageIsPreviewed() {
        #expect(PushPayload.preview(of: Self.message("  ¿Cuándo llega?  ")) == "¿Cuándo llega?")
    }

    /// The contract's "up to 120 characters": a longer text is cut to 119 characters and
    /// "…" (120 in all, counted as characters, so "ñ" and emoji are never split); 120
    /// exactly stays whole.
    @Test func aLongMessageIsCutAt120CharactersWithAnEllipsis() throws {
        let long = "Sale mañana por la mañana con el envío urgente; te paso el número de seguimiento en cuanto lo tenga 📦 y la factura también, ¡gracias!"
        #expect(long.count > 120)
        let preview = try #require(PushPayload.preview(of: Self.message(long)))
        #expect(preview.count == 120)
        #expect(preview.hasSuffix("…"))
        #expect(preview == String(long.prefix(119)) + "…")
        let exact = String(repeating: "ñ", count: 120)
        #expect(PushPayload.preview(of: Self.message(exact)) == exact, "120 characters are not cut")
        #expect(PushPayload.maxPreviewCharacters == 120)
    }

    @Test func anEncryptedMessageHasNoPreviewAndThePayloadLeavesItOut() throws {
        let envelope = EncryptedEnvelope(epoch: 1, deviceID: "phone", iv: "aXY", ciphertext: "Y2lwaGVydGV4dA", signature: "c2ln")
        let message = Self.message("", annotations: MessageAnnotations(encrypted: envelope))
        #expect(PushPayload.preview(of: message) == nil)
        let payload = PushPayload.message(
            conversationID: "c_1", messageID: "m_1", seq: 1, senderName: "Ana", preview: PushPayload.preview(of: message),
            url: PushPayload.url(conversationID: "c_1"))
        let object = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(payload)) as? [String: Any])
        #expect(object["preview"] == nil && object["type"] as? String == "message.new")
        #expect(!String(decoding: try JSONEncoder().encode(payload), as: UTF8.self).contains("Y2lwaGVydGV4dA"))
    }
}
