import Foundation
import ParleyCore
import Testing

/// `FrameJSON` writes `message.new`, `ack` and `pong` by hand: each must be the same JSON
/// value as `JSONEncoder` gives through the `Codable` conformances, for every shape of
/// message (every annotation, awkward text), and must decode back to the same message.
@Suite struct FrameJSONTests {
    static let awkwardTexts = [
        "", "hola", "¿Cuándo llega el envío? 🚚📦", "quote \" backslash \\ slash / end",
        "line\nbreak\ttab\rreturn\u{08}\u{0C}", "controls \u{01}\u{1F}\u{7F}", "emoji 👩🏽‍💻 ZWJ, RTL \u{202E}text",
        "\u{2028}\u{2029} separators", String(repeating: "ñ", count: 300),
    ]

    static func messages() -> [Message] {
        var messages: [Message] = []
        for (index, text) in awkwardTexts.enumerated() {
            messages.append(
                Message(
                    messageID: "m\(index)", conversationID: "c-\(text.prefix(3))", seq: Int64(index + 1), senderID: "u\"\(index)",
                    content: text, timestamp: Timestamp(millisecondsSince1970: 1_795_515_330_123 + Int64(index)),
                    readBy: Array(["a", "b\\", text].prefix(index % 4)), type: MessageType.allCases[index % 4],
                    clientMessageID: index.isMultiple(of: 2) ? "client-\(text)" : nil))
        }
        let attachment = MessageAttachment(
            attachmentID: "att1", name: "foto \"1\".jpg", contentType: "image/jpeg", size: 1234, width: 320, height: nil,
            sha256: String(repeating: "ab", count: 32))
        let envelope = EncryptedEnvelope(
            epoch: 3, deviceID: "dev-1", iv: "AAAAAAAAAAAAAAAA", ciphertext: "Y2lwaGVy", signature: "c2ln", commitment: "Y29t")
        let annotationSets: [MessageAnnotations] = [
            MessageAnnotations(templateID: "tpl-1"),
            MessageAnnotations(auto: AutoAnswerMark(faqID: "faq-9", score: 0.8125)),
            MessageAnnotations(sentiment: Sentiment(label: .negative, score: -0.123456789)),
            MessageAnnotations(sentiment: Sentiment(label: .positive, score: 1e-7)),
            MessageAnnotations(sentiment: Sentiment(label: .neutral, score: 0)),
            MessageAnnotations(masked: [.phone, .email], originalContent: "llámame al 612 345 678"),
            MessageAnnotations(masked: []),
            MessageAnnotations(attachment: attachment),
            MessageAnnotations(encrypted: envelope, commitment: "Y29t", receipt: "cmVj"),
            MessageAnnotations(
                templateID: "t", auto: AutoAnswerMark(faqID: "f", score: 1), sentiment: Sentiment(label: .negative, score: -1),
                masked: [.link, .handle], originalContent: "x\ny", attachment: attachment, encrypted: envelope,
                commitment: "c", receipt: "r"),
        ]
        for (index, annotations) in annotationSets.enumerated() {
            var message = messages[index % messages.count]
            message.messageID = "annotated-\(index)"
            message.annotations = annotations
            messages.append(message)
        }
        return messages
    }

    static let frameIDs: [FrameID?] = [nil, .string("id-\"1\""), .number(7), .number(-3), .number(2.5), .number(1e17)]

    /// Both texts as JSON values, compared as values (key order and escaping may differ).
    func expectSameJSON(_ handWritten: String?, _ encoded: Data, _ context: String) throws {
        let text = try #require(handWritten, "FrameJSON gave no text for \(context)")
        let left = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        let right = try JSONSerialization.jsonObject(with: encoded) as? NSDictionary
        #expect(left != nil && left == right, "\(context): \(text)")
    }

    @Test func messageNewIsTheSameJSONAsTheEncoders() throws {
        for message in Self.messages() {
            for position: Int64 in [0, 1, 123_456_789_012] {
                let event = ServerEvent.messageNew(message: message, cursor: ResumeCursor(position: position))
                try expectSameJSON(FrameJSON.text(of: event), try JSONEncoder().encode(event), message.messageID)
                try expectSameJSON(
                    FrameJSON.text(of: ServerFrame.event(event)), try JSONEncoder().encode(ServerFrame.event(event)),
                    message.messageID)
                // And a client reading it gets the message back as it was.
                let decoded = try JSONDecoder().decode(ServerEvent.self, from: Data(try #require(FrameJSON.text(of: event)).utf8))
                guard case .messageNew(let back, let cursor) = decoded else {
                    Issue.record("not a message.new")
                    continue
                }
                #expect(back == message)
                #expect(cursor.position == position)
            }
        }
    }

    @Test func ackAndPongAreTheSameJSONAsTheEncoders() throws {
        for id in Self.frameIDs {
            for message in Self.messages() {
                let ack = ServerFrame.ack(id: id, message: message)
                try expectSameJSON(FrameJSON.text(of: ack), try JSONEncoder().encode(ack), "ack \(String(describing: id))")
            }
            let pong = ServerFrame.pong(id: id)
            try expectSameJSON(FrameJSON.text(of: pong), try JSONEncoder().encode(pong), "pong \(String(describing: id))")
        }
    }

    @Test func otherFramesAreLeftToTheEncoder() {
        #expect(FrameJSON.text(of: ServerFrame.resumed(id: nil)) == nil)
        #expect(FrameJSON.text(of: ServerFrame.error(id: nil, error: .init(code: "bad_frame", message: "x"))) == nil)
        #expect(FrameJSON.text(of: ServerEvent.presence(userID: "u", state: .online, lastSeen: nil)) == nil)
        #expect(FrameJSON.text(of: ServerEvent.typing(conversationID: "c", userID: "u", state: .start)) == nil)
    }

    @Test func aScoreWithNoJSONFormIsNotWritten() {
        var message = Self.messages()[0]
        message.annotations = MessageAnnotations(sentiment: Sentiment(label: .neutral, score: .nan))
        #expect(FrameJSON.text(of: ServerFrame.ack(id: nil, message: message)) == nil)
    }
}
