import Foundation
import ParleyClient
import ParleyCore
import ParleyMessaging
import Testing

/// Attachments through the API (issue 14): upload raw and as a browser's form, the type
/// decided from the bytes, photos cleaned, sending with a caption, downloads with the
/// contract's headers, ranges and validators, signed links, who may see what, search by
/// caption and file name, `message.new` with the attachment, unsent uploads removed.
@Suite struct AttachmentAPITests {
    /// A 64×48 phone photo (quadrants red, green / blue, white) with EXIF orientation 6
    /// (rotate 90° clockwise to show), a GPS position, XMP, IPTC and a comment.
    static let phonePhoto = fixture("phone-rotated.jpg")
    static let invoice = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)

    static func fixture(_ name: String) -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ParleyMediaTests/Fixtures/\(name)")
        return (try? Data(contentsOf: url)) ?? Data()
    }

    struct Party {
        let buyer: ParleyRESTClient
        let seller: ParleyRESTClient
        let outsider: ParleyRESTClient
        let support: ParleyRESTClient
        let conversationID: String
    }

    static func party(_ server: TestServer) async throws -> Party {
        let buyer = try await server.client("buyer1", .buyer)
        let id = try await buyer.createThread(orderID: "PED-10231").conversation.conversationID
        return Party(
            buyer: buyer, seller: try await server.client("seller1", .seller), outsider: try await server.client("buyer9", .buyer),
            support: try await server.client("agent1", .support), conversationID: id)
    }

    @Test func aPhonePhotoReachesTheSellerCleanedRotatedAndThumbnailed() async throws {
        #expect(Self.phonePhoto.count > 1000, "the fixture is there")
        #expect(Self.phonePhoto.range(of: Data("Exif".utf8)) != nil && Self.phonePhoto.range(of: Data("ParleyTestPhone".utf8)) != nil)
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let party = try await Self.party(server)
            let uploaded = try await party.buyer.uploadForm(
                party.conversationID, bytes: Self.phonePhoto, contentType: "image/jpeg", filename: "IMG_2041.jpg")
            #expect(uploaded.contentType == "image/jpeg" && uploaded.name == "IMG_2041.jpg" && uploaded.hasThumbnail)
            // Orientation 6 applied to the pixels: 64×48 stored sideways shows 48×64.
            #expect(uploaded.width == 48 && uploaded.height == 64)
            #expect(uploaded.conversationId == party.conversationID)

            // Unsent: its uploader's only.
            #expect(try await party.buyer.download(uploaded.attachmentId).status == 200)
            #expect(try await party.seller.download(uploaded.attachmentId).status == 404)

            let sent = try await party.buyer.send(
                party.conversationID, .init(content: "Así llegó el bolso", type: .image, attachmentId: uploaded.attachmentId))
            #expect(sent.type == .image && sent.content == "Así llegó el bolso")
            let attachment = try #require(sent.annotations.attachment)
            #expect(attachment.attachmentID == uploaded.attachmentId && attachment.sha256 == uploaded.sha256)
            #expect(attachment.width == 48 && attachment.height == 64 && attachment.size == uploaded.size)

            let photo = try await party.seller.download(uploaded.attachmentId)
            #expect(photo.status == 200)
            #expect(photo.header("Content-Type") == "image/jpeg")
            #expect(photo.header("Content-Length") == String(uploaded.size) && photo.body.count == Int(uploaded.size))
            #expect(photo.header("Content-Disposition") == "inline; filename*=UTF-8''IMG_2041.jpg")
            // No GPS position, camera, XMP, IPTC or comment reaches the seller.
            for marker in ["Exif", "ParleyTestPhone", "http://ns.adobe.com/xap", "Photoshop 3.0"] {
                #expect(photo.body.range(of: Data(marker.utf8)) == nil, "\(marker) left in the served photo")
            }
            let thumbnail = try await party.seller.download(uploaded.attachmentId, thumbnail: true)
            #expect(thumbnail.status == 200 && thumbnail.header("Content-Type") == "image/jpeg")
            #expect(thumbnail.body.starts(with: [0xFF, 0xD8]) && thumbnail.body.range(of: Data("Exif".utf8)) == nil)
            let thumbnailStart = try await party.seller.download(uploaded.attachmentId, thumbnail: true, headers: [("Range", "bytes=0-1")])
            #expect(thumbnailStart.status == 206 && thumbnailStart.body == Data([0xFF, 0xD8]))
            #expect(thumbnailStart.header("Content-Range") == "bytes 0-1/\(thumbnail.body.count)")
            // Anyone else: not found, as for a conversation they may not see.
            #expect(try await party.outsider.download(uploaded.attachmentId).status == 404)
            #expect(try await party.outsider.download(uploaded.attachmentId, thumbnail: true).status == 404)
            #expect(try await party.support.download(uploaded.attachmentId).status == 200)
        }
    }

    @Test func aPDFInvoiceIsADownloadWithTheContractsHeadersRangesAndValidators() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let party = try await Self.party(server)
            let uploaded = try await party.seller.upload(
                party.conversationID, bytes: Self.invoice, contentType: "application/octet-stream", name: "factura marzo ñ.pdf")
            #expect(uploaded.contentType == "application/pdf" && uploaded.name == "factura marzo ñ.pdf")
            #expect(uploaded.width == nil && uploaded.height == nil && !uploaded.hasThumbnail)
            #expect(uploaded.size == Int64(Self.invoice.count))
            _ = try await party.seller.send(party.conversationID, .init(content: "", type: .file, attachmentId: uploaded.attachmentId))

            let whole = try await party.buyer.download(uploaded.attachmentId)
            #expect(whole.status == 200 && whole.body == Self.invoice)
            #expect(whole.header("Content-Type") == "application/pdf")
            #expect(whole.header("ETag") == "\"\(uploaded.sha256)\"")
            #expect(whole.header("Cache-Control") == "private")
            #expect(whole.header("X-Content-Type-Options") == "nosniff")
            #expect(whole.header("Content-Security-Policy") == "sandbox")
            #expect(whole.header("Content-Disposition") == "attachment; filename*=UTF-8''factura%20marzo%20%C3%B1.pdf")

            let part = try await party.buyer.download(uploaded.attachmentId, headers: [("Range", "bytes=0-3")])
            #expect(part.status == 206 && part.body == Data("%PDF".utf8))
            #expect(part.header("Content-Range") == "bytes 0-3/\(Self.invoice.count)")
            let tail = try await party.buyer.download(uploaded.attachmentId, headers: [("Range", "bytes=-6")])
            #expect(tail.status == 206 && tail.body == Data("%%EOF\n".utf8))
            let beyond = try await party.buyer.download(uploaded.attachmentId, headers: [("Range", "bytes=100000-")])
            #expect(beyond.status == 416 && beyond.header("Content-Range") == "bytes */\(Self.invoice.count)")

            let unchanged = try await party.buyer.download(uploaded.attachmentId, headers: [("If-None-Match", "\"\(uploaded.sha256)\"")])
            #expect(unchanged.status == 304 && unchanged.body.isEmpty)
            let changed = try await party.buyer.download(uploaded.attachmentId, headers: [("If-None-Match", "\"other\"")])
            #expect(changed.status == 200)
            // A file has no thumbnail.
            #expect(try await party.buyer.download(uploaded.attachmentId, thumbnail: true).status == 404)
        }
    }

    @Test func theTypeComesFromTheBytesAndLiesAreRefused() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0, maxAttachmentBytes: 64 * 1024)) { server in
            let party = try await Self.party(server)
            let html = Data("<html><body><script>alert(document.cookie)</script></body></html>".utf8)
            // An HTML file named foto.png, as a browser sends it (type from the name).
            await expectStatus(400, code: "content_type_mismatch") {
                _ = try await party.buyer.uploadForm(party.conversationID, bytes: html, contentType: "image/png", filename: "foto.png")
            }
            // Named like an image, declared as nothing.
            await expectStatus(400, code: "content_type_mismatch") {
                _ = try await party.buyer.upload(party.conversationID, bytes: html, name: "foto.jpg")
            }
            // A PDF declared as a JPEG.
            await expectStatus(400, code: "content_type_mismatch") {
                _ = try await party.buyer.upload(party.conversationID, bytes: Self.invoice, contentType: "image/jpeg")
            }
            // Bytes that start like a JPEG but are not one.
            await expectStatus(400, code: "content_type_mismatch") {
                _ = try await party.buyer.upload(
                    party.conversationID, bytes: Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x41, count: 200)), name: "x.jpg")
            }
            // The same HTML under an honest name is a text file, served as a download.
            let text = try await party.buyer.upload(party.conversationID, bytes: html, contentType: "text/html", name: "page.html")
            #expect(text.contentType == "text/plain")
            let binary = try await party.buyer.upload(
                party.conversationID, bytes: Data([0, 1, 2, 0xFF, 0xFE]), contentType: "application/x-parley-test")
            #expect(binary.contentType == "application/octet-stream")
            // An image type the server does not take as an image: the bytes cannot be that image.
            let svg = Data(#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#.utf8)
            await expectStatus(400, code: "content_type_mismatch") {
                _ = try await party.buyer.upload(party.conversationID, bytes: svg, contentType: "image/svg+xml", name: "logo.svg")
            }
            // The name is judged as it will be stored: a trailing space or an invisible mark
            // does not make foto.png something else.
            for disguised in ["foto.png ", "foto.png\u{200E}", "carpeta/foto.png"] {
                await expectStatus(400, code: "content_type_mismatch") {
                    _ = try await party.buyer.upload(party.conversationID, bytes: html, name: disguised)
                }
            }
            await expectStatus(400) { _ = try await party.buyer.upload(party.conversationID, bytes: Data()) }
            await expectStatus(413) {
                _ = try await party.buyer.upload(party.conversationID, bytes: Data(count: 64 * 1024 + 1), name: "big.bin")
            }
            // Exactly the limit is fine.
            _ = try await party.buyer.upload(party.conversationID, bytes: Data(count: 64 * 1024), name: "limit.bin")
            // Only who may send in the conversation may upload.
            await expectStatus(404) { _ = try await party.outsider.upload(party.conversationID, bytes: Self.invoice) }
            await expectStatus(401) { _ = try await server.anonymous().upload(party.conversationID, bytes: Self.invoice) }
        }
    }

    @Test func sendingNeedsTheSendersOwnUnsentUploadOfThatConversation() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let party = try await Self.party(server)
            let other = try await party.buyer.createThread(orderID: "PED-2").conversation.conversationID
            let pdf = try await party.buyer.upload(party.conversationID, bytes: Self.invoice)
            let photo = try await party.buyer.upload(party.conversationID, bytes: Self.phonePhoto, contentType: "image/jpeg")
            for (conversation, client, body, why) in [
                (other, party.buyer, SendMessageBody(content: "", type: .file, attachmentId: pdf.attachmentId), "another conversation"),
                (party.conversationID, party.seller, SendMessageBody(content: "", type: .file, attachmentId: pdf.attachmentId), "another sender"),
                (party.conversationID, party.buyer, SendMessageBody(content: "", type: .image, attachmentId: pdf.attachmentId), "a PDF as an image"),
                (party.conversationID, party.buyer, SendMessageBody(content: "hola", type: .text, attachmentId: photo.attachmentId), "a text with an attachment"),
                (party.conversationID, party.buyer, SendMessageBody(content: "", type: .file, attachmentId: "a_unknown"), "an unknown upload"),
                (party.conversationID, party.buyer, SendMessageBody(content: "foto.jpg", type: .image), "an image without an upload"),
                (party.conversationID, party.buyer, SendMessageBody(content: "factura", type: .file), "a file without an upload"),
            ] {
                do {
                    _ = try await client.send(conversation, body)
                    Issue.record("sent: \(why)")
                } catch let error as ParleyClientError {
                    #expect(error.status == 400, "\(why)")
                    #expect(error.message?.hasPrefix("attachmentId") == true, "\(why): \(error.message ?? "")")
                }
            }
            // A photo may go as a file too; a retry with the same clientMessageId returns
            // the first message; once sent, it cannot go again.
            let first = try await party.buyer.rawJSON(
                .POST, "/api/conversations/\(party.conversationID)/messages",
                #"{"type":"file","content":"","attachmentId":"\#(photo.attachmentId)","clientMessageId":"retry-1"}"#)
            let retry = try await party.buyer.rawJSON(
                .POST, "/api/conversations/\(party.conversationID)/messages",
                #"{"type":"file","content":"","attachmentId":"\#(photo.attachmentId)","clientMessageId":"retry-1"}"#)
            #expect(first.status == 201 && retry.status == 200)
            let firstMessage = try JSONDecoder().decode(Message.self, from: first.body)
            let retried = try JSONDecoder().decode(Message.self, from: retry.body)
            #expect(retried.messageID == firstMessage.messageID && retried.annotations.attachment?.attachmentID == photo.attachmentId)
            await expectStatus(400) {
                _ = try await party.buyer.send(party.conversationID, .init(content: "", type: .image, attachmentId: photo.attachmentId))
            }
            // A caption over the content limit is too large, as content is.
            await expectStatus(413) {
                _ = try await party.buyer.send(
                    party.conversationID,
                    .init(content: String(repeating: "a", count: Limits.maxContentBytes + 1), type: .file, attachmentId: pdf.attachmentId))
            }
            #expect(try await party.seller.messages(party.conversationID).messages.count == 1)
        }
    }

    @Test func signedLinksWorkWithoutATokenForFiveMinutesAndNotTampered() async throws {
        let clock = ManualClock()
        try await TestServer.with(options: .init(userWritesPerSecond: 0, clock: clock)) { server in
            let party = try await Self.party(server)
            let uploaded = try await party.buyer.upload(party.conversationID, bytes: Self.phonePhoto, contentType: "image/jpeg")
            _ = try await party.buyer.send(party.conversationID, .init(content: "", type: .image, attachmentId: uploaded.attachmentId))
            await expectStatus(404) { _ = try await party.outsider.attachmentLink(uploaded.attachmentId) }
            let link = try await party.seller.attachmentLink(uploaded.attachmentId)
            #expect(link.url.hasPrefix("/api/attachments/\(uploaded.attachmentId)?"))
            #expect(link.expiresAt.millisecondsSince1970 == clock.now().millisecondsSince1970 + 300_000)
            #expect(!link.url.contains(try await server.token("seller1", .seller)))
            let anonymous = server.anonymous()
            let photo = try await anonymous.raw(.GET, link.url)
            #expect(photo.status == 200 && photo.header("Content-Type") == "image/jpeg" && photo.body.count == Int(uploaded.size))
            // The same link opens the thumbnail.
            let thumbnailURL = link.url.replacingOccurrences(of: "?", with: "/thumbnail?")
            #expect(try await anonymous.raw(.GET, thumbnailURL).status == 200)
            // Tampered, malformed, for another attachment, or expired: 403.
            let signature = try #require(link.url.split(separator: "signature=").last)
            // The first character: the last one of unpadded base64url carries 2 bits no
            // decoder reads, so changing it from A to B (say) leaves the same signature.
            let flipped = (signature.first == "A" ? "B" : "A") + String(signature.dropFirst())
            for url in [
                link.url.replacingOccurrences(of: String(signature), with: flipped),
                link.url.replacingOccurrences(of: "expires=", with: "expires=9"),
                "/api/attachments/\(uploaded.attachmentId)?expires=abc&signature=%%%",
                "/api/attachments/\(uploaded.attachmentId)?signature=",
                link.url.replacingOccurrences(of: uploaded.attachmentId, with: "a_other"),
            ] {
                #expect(try await anonymous.raw(.GET, url).status == 403, "\(url)")
            }
            clock.advance(bySeconds: 301)
            #expect(try await anonymous.raw(.GET, link.url).status == 403)
            // Without a link or a token: 401.
            #expect(try await anonymous.raw(.GET, "/api/attachments/\(uploaded.attachmentId)").status == 401)
        }
    }

    @Test func messageNewCarriesTheAttachmentAndSearchFindsCaptionsAndFileNames() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let party = try await Self.party(server)
            let uploaded = try await party.buyer.upload(
                party.conversationID, bytes: Self.invoice, contentType: "application/pdf", name: "Factura_PED-10231.pdf")
            let outcome = try await server.realtime("seller1", .seller) { session in
                _ = try await party.buyer.send(
                    party.conversationID, .init(content: "te mando el justificante del envío", type: .file, attachmentId: uploaded.attachmentId))
                return try await session.next(where: { $0.newMessage != nil }).newMessage
            }
            let delivered = try #require(outcome.value)
            #expect(delivered.annotations.attachment?.attachmentID == uploaded.attachmentId)
            #expect(delivered.annotations.attachment?.name == "Factura_PED-10231.pdf")
            for words in ["factura", "justificante envio", "envíos"] {
                #expect(try await party.seller.search(words).results.count == 1, "\(words)")
            }
            #expect(try await party.outsider.search("factura").results.isEmpty)
        }
    }

    @Test func uploadsNeverSentAreRemovedAfterADayWithTheirBytes() async throws {
        let clock = ManualClock()
        try await TestServer.with(options: .init(userWritesPerSecond: 0, clock: clock, attachmentJanitorInterval: .milliseconds(50))) {
            server in
            let party = try await Self.party(server)
            let unsent = try await party.buyer.upload(party.conversationID, bytes: Data("borrador sin enviar".utf8), name: "nota.txt")
            let sent = try await party.buyer.upload(party.conversationID, bytes: Self.invoice, contentType: "application/pdf")
            _ = try await party.buyer.send(party.conversationID, .init(content: "", type: .file, attachmentId: sent.attachmentId))
            clock.advance(bySeconds: 23 * 3600)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await party.buyer.download(unsent.attachmentId).status == 200, "kept for 24 h")
            clock.advance(bySeconds: 2 * 3600)
            var status = 200
            for _ in 0..<100 where status != 404 {
                try await Task.sleep(for: .milliseconds(50))
                status = try await party.buyer.download(unsent.attachmentId).status
            }
            #expect(status == 404)
            await expectStatus(400) {
                _ = try await party.buyer.send(party.conversationID, .init(content: "", type: .file, attachmentId: unsent.attachmentId))
            }
            #expect(try await party.seller.download(sent.attachmentId).body == Self.invoice, "sent ones stay")
        }
    }

    @Test func oneUserMayKeepOnlySoManyUploadsUnsent() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let party = try await Self.party(server)
            var last: AttachmentBody?
            for index in 0..<AttachmentLimits.maxUnsentUploadsPerUser {
                last = try await party.buyer.upload(party.conversationID, bytes: Data("nota \(index)".utf8), name: "nota.txt")
            }
            do {
                _ = try await party.buyer.upload(party.conversationID, bytes: Data("una más".utf8), name: "nota.txt")
                Issue.record("an upload past the quota of unsent uploads was accepted")
            } catch let error as ParleyClientError {
                #expect(error.status == 400 && error.message?.hasPrefix("file:") == true)
            }
            // Others are not held back, and sending one makes room.
            _ = try await party.seller.upload(party.conversationID, bytes: Data("del vendedor".utf8), name: "nota.txt")
            _ = try await party.buyer.send(party.conversationID, .init(content: "", type: .file, attachmentId: try #require(last).attachmentId))
            _ = try await party.buyer.upload(party.conversationID, bytes: Data("ahora sí".utf8), name: "nota.txt")
        }
    }

    /// The WebSocket's `message.send` takes `attachmentId` too (the caption may be left
    /// out); an image without one is refused with an `error`, as over REST.
    @Test func aPhotoCanBeSentOverTheWebSocket() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let party = try await Self.party(server)
            let uploaded = try await party.buyer.upload(party.conversationID, bytes: Self.phonePhoto, contentType: "image/jpeg")
            let outcome = try await server.realtime("buyer1", .buyer) { session in
                try await session.sendRaw(
                    #"{"type":"message.send","id":"p-1","conversationId":"\#(party.conversationID)","contentType":"image","attachmentId":"\#(uploaded.attachmentId)"}"#
                )
                let ack = try await session.next { if case .ack = $0 { true } else { false } }
                try await session.sendRaw(
                    #"{"type":"message.send","id":"p-2","conversationId":"\#(party.conversationID)","contentType":"image","content":"sin foto"}"#)
                let refused = try await session.next { if case .error = $0 { true } else { false } }
                return (ack, refused)
            }
            guard case .ack(let id, let message) = outcome.value.0 else { Issue.record("no ack"); return }
            #expect(id == .string("p-1") && message.type == .image && message.content.isEmpty)
            #expect(message.annotations.attachment?.attachmentID == uploaded.attachmentId)
            guard case .error(let errorID, let error) = outcome.value.1 else { Issue.record("no error"); return }
            #expect(errorID == .string("p-2") && error.code == "invalid_request" && error.message.hasPrefix("attachmentId"))
            #expect(try await party.seller.messages(party.conversationID).messages.count == 1)
        }
    }
}
