import Foundation
import ParleyCore
import Testing

/// `MessageSendScanner` reads plain `message.send` frames without `JSONDecoder`: whenever
/// it answers, the answer must be what `JSONDecoder` gives for the same text; it must
/// answer for the frames clients send; and anything it is unsure of is left to the
/// decoder (nil), never read differently.
@Suite struct MessageSendScannerTests {
    static let plainFrames = [
        #"{"type":"message.send","id":1,"conversationId":"c1","content":"hola","clientMessageId":"k1"}"#,
        #"{"type":"message.send","conversationId":"c1","content":"hola"}"#,
        #" { "id" : "a-1" , "type" : "message.send" , "conversationId" : "c1" , "content" : "" , "contentType" : "text" } "#,
        #"{"type":"message.send","id":2.5,"conversationId":"c1","content":"\"quoted\" \\ \/ \b\f\n\r\t","clientMessageId":null}"#,
        #"{"type":"message.send","id":-0,"conversationId":"c\u00e9","content":"emoji \ud83d\ude9a and \u00f1 and é 🚚"}"#,
        #"{"type":"message.send","id":1000.25,"conversationId":"c1","content":"x","contentType":"image"}"#,
        #"{"type":"message.send","id":true,"conversationId":"c1","content":"x"}"#,
        #"{"type":"message.send","id":null,"conversationId":"c1","content":"nul \u0000 inside"}"#,
        "{\"type\":\"message.send\",\n\t\"conversationId\":\"c1\",\r\n\"content\":\"línea\"}",
    ]

    /// Frames the scanner leaves to the decoder (they may be valid or not).
    static let leftToTheDecoder = [
        #"{"type":"typing","conversationId":"c1","state":"start"}"#,
        #"{"type":"message.send","conversationId":"c1","attachmentId":"a1"}"#,
        #"{"type":"message.send","conversationId":"c1","content":"x","encrypted":{"epoch":1}}"#,
        #"{"type":"message.send","conversationId":"c1","content":"x","content":"y"}"#,
        #"{"type":"message.send","conversationId":"c1","content":null}"#,
        #"{"type":"message.send","conversationId":"c1","content":"x","contentType":"video"}"#,
        #"{"type":"message.send","conversationId":"c1","content":"x","clientMessageId":true}"#,
        #"{"type":"message.send","conversationId":"c1","content":"x","clientMessageId":7}"#,
        #"{"type":"message.send","conversationId":"c1","content":"lone \udc00 surrogate"}"#,
        #"{"type":"message.send","conversationId":"c1","content":"bad \x escape"}"#,
        "{\"type\":\"message.send\",\"conversationId\":\"c1\",\"content\":\"raw \u{01} control\"}",
        #"{"type":"message.send","id":01,"conversationId":"c1","content":"x"}"#,
        #"{"type":"message.send","id":1e999,"conversationId":"c1","content":"x"}"#,
        #"{"type":"message.send","id":0e3,"conversationId":"c1","content":"x"}"#,
        #"{"type":"message.send","conversationId":"c1","content":"x"} trailing"#,
        #"{"type":"message.send","conversationId":"c1","content":"x",}"#,
        #"["message.send"]"#, "", "{", #"{"type":"message.send""#,
    ]

    func decoded(_ text: String) -> ClientFrame? {
        try? JSONDecoder().decode(ClientFrame.self, from: Data(text.utf8))
    }

    @Test func plainSendsAreReadAsTheDecoderReadsThem() throws {
        for text in Self.plainFrames {
            let scanned = try #require(MessageSendScanner.frame(text), "not scanned: \(text)")
            #expect(scanned == decoded(text), "\(text)")
        }
    }

    @Test func whatItIsUnsureOfIsLeftToTheDecoder() {
        for text in Self.leftToTheDecoder {
            #expect(MessageSendScanner.frame(text) == nil, "\(text)")
        }
    }

    /// Every one-byte change (deletion, and replacement by a few JSON-significant bytes) of
    /// the plain frames: where the scanner answers, the decoder agrees.
    @Test func mutatedFramesAreNeverReadDifferently() {
        let replacements: [UInt8] = Array(#"{}[]",:\ u0e-."#.utf8) + [0x01, 0x7F]
        var scannedCount = 0
        for text in Self.plainFrames {
            let bytes = Array(text.utf8)
            for index in bytes.indices {
                var variants = [bytes[..<index] + bytes[(index + 1)...]].map(Array.init)
                for byte in replacements {
                    var changed = bytes
                    changed[index] = byte
                    variants.append(changed)
                }
                for variant in variants {
                    let mutated = String(decoding: variant, as: UTF8.self)
                    guard let scanned = MessageSendScanner.frame(mutated) else { continue }
                    scannedCount += 1
                    #expect(scanned == decoded(mutated), "\(mutated)")
                }
            }
        }
        #expect(scannedCount > 100, "the mutations should leave many frames readable")
    }
}
