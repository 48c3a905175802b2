import ParleyCore
import ParleyMedia
import Testing

@Suite struct MultipartReaderTests {
    typealias Support = MultipartTestSupport

    // MARK: What browsers send

    @Test func readsAChromiumFormDataBody() throws {
        #expect(try Support.read(Support.chromiumBody, boundary: Support.chromiumBoundary) == Support.chromiumEvents)
    }

    @Test func readsAFirefoxFormDataBody() throws {
        // Firefox: 27 dashes and digits as boundary, `application/octet-stream` for a file
        // of unknown type, the name as raw UTF-8.
        let boundary = "---------------------------9051914041544843365972754266"
        let body = Array(
            ("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"presupuesto año.xyz\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\nline one\r\nline two\r\n--\(boundary)--\r\n").utf8)
        #expect(
            try Support.read(body, boundary: boundary) == [
                .partStart(MultipartPartHeaders(name: "file", filename: "presupuesto año.xyz", contentType: "application/octet-stream")),
                .body(Array("line one\r\nline two".utf8)), .partEnd,
            ])
    }

    // MARK: Chunking never changes the outcome

    @Test func givesTheSameEventsWhenSplitAtEveryPosition() throws {
        let body = Support.chromiumBody
        for split in 0...body.count {
            #expect(try Support.read(body, boundary: Support.chromiumBoundary, chunkSizes: [split, Int.max]) == Support.chromiumEvents, "split at \(split)")
        }
    }

    @Test func givesTheSameEventsWhenFedOneByteAtATime() throws {
        let padded = Array("preamble\r\n--b \t\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n\r\n--b\r\n\r\n--bx\r\n--b--epilogue".utf8)
        for (body, boundary) in [(Support.chromiumBody, Support.chromiumBoundary), (padded, "b")] {
            #expect(try Support.read(body, boundary: boundary, chunkSizes: [1]) == Support.read(body, boundary: boundary))
        }
    }

    @Test func givesTheSameEventsForRandomChunkSizes() throws {
        // A file full of near-boundaries: CRLF, CRLF--, and boundary prefixes of every length.
        let boundary = Support.chromiumBoundary
        var generator = SeededGenerator(state: 14)
        var content: [UInt8] = []
        while content.count < 100_000 {
            switch Int.random(in: 0..<4, using: &generator) {
            // Each ends in `!`, which no boundary has, so that no two make a delimiter.
            case 0: content += Array("\r\n--\(boundary)".utf8).prefix(Int.random(in: 1...(boundary.utf8.count + 3), using: &generator)) + [0x21]
            case 1: content += Array("--\(boundary)!".utf8)
            default: content += (0..<Int.random(in: 1...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
        }
        let body = Support.body(boundary: boundary, headers: ["Content-Disposition: form-data; name=\"file\"; filename=\"a.bin\""], content: content)
        let expected: [MultipartEvent] = [.partStart(MultipartPartHeaders(name: "file", filename: "a.bin")), .body(content), .partEnd]
        #expect(try Support.read(body, boundary: boundary) == expected)
        for _ in 0..<50 {
            let sizes = (0..<64).map { _ in Int.random(in: 1...5000, using: &generator) }
            #expect(try Support.read(body, boundary: boundary, chunkSizes: sizes) == expected)
        }
    }

    // MARK: Framing

    @Test func ignoresThePreambleAndTheEpilogue() throws {
        let body = Array("This is a preamble.\r\n--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b--\r\nThis is an epilogue, --b\r\n".utf8)
        #expect(try Support.read(body, boundary: "b") == [.partStart(MultipartPartHeaders(name: "a")), .body([0x78]), .partEnd])
    }

    @Test func acceptsTransportPaddingAfterABoundary() throws {
        let body = Array("--b \t \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b\t\r\n\r\ny\r\n--b--  \r\n".utf8)
        #expect(
            try Support.read(body, boundary: "b") == [
                .partStart(MultipartPartHeaders(name: "a")), .body([0x78]), .partEnd,
                .partStart(MultipartPartHeaders()), .body([0x79]), .partEnd,
            ])
    }

    @Test func acceptsAClosingBoundaryThatEndsTheBody() throws {
        let body = Array("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b--".utf8)
        #expect(try Support.read(body, boundary: "b") == [.partStart(MultipartPartHeaders(name: "a")), .body([0x78]), .partEnd])
    }

    @Test func readsAPartWithoutAFilenameOrContentType() throws {
        #expect(try Support.headers(of: ["Content-Disposition: form-data; name=\"caption\""]) == MultipartPartHeaders(name: "caption"))
    }

    @Test func treatsBoundaryLookalikesWithoutCRLFAsBody() throws {
        // `--boundary` mid-line, after a bare CR or a bare LF, and CRLF with only a
        // prefix of the boundary are all file content.
        let content = Array("a--boundary b\r--boundary\n--boundary\r\n--bound\r\n--boundar\r\n-\r\n".utf8)
        let body = Support.body(headers: ["Content-Disposition: form-data; name=\"file\"; filename=\"f\""], content: content)
        #expect(
            try Support.read(body, boundary: "boundary") == [.partStart(MultipartPartHeaders(name: "file", filename: "f")), .body(content), .partEnd])
    }

    @Test func readsAnEmptyFilePartWithoutBodyEvents() throws {
        // What a browser sends for a file input with no file chosen.
        let body = Support.body(
            headers: ["Content-Disposition: form-data; name=\"file\"; filename=\"\"", "Content-Type: application/octet-stream"], content: [])
        #expect(
            try Support.read(body, boundary: "boundary") == [
                .partStart(MultipartPartHeaders(name: "file", filename: "", contentType: "application/octet-stream")), .partEnd,
            ])
    }

    @Test func readsAPartWithoutHeaders() throws {
        #expect(try Support.read(Support.body(headers: [], content: [0x31]), boundary: "boundary") == [.partStart(MultipartPartHeaders()), .body([0x31]), .partEnd])
    }

    // MARK: File names

    @Test func readsAUnicodeFilename() throws {
        #expect(try Support.headers(of: ["Content-Disposition: form-data; name=\"file\"; filename=\"fotó de la caja 📦.jpg\""])?.filename == "fotó de la caja 📦.jpg")
    }

    @Test func undoesQuotingInFilenames() throws {
        let disposition = "Content-Disposition: form-data; name=\"file\"; filename="
        // Backslash escapes of `"` and `\` (RFC 9110 quoted-pair).
        #expect(try Support.headers(of: [disposition + #""a\"b\\c.txt""#])?.filename == #"a"b\c.txt"#)
        // What browsers send for `"` (the HTML standard's form-data encoding).
        #expect(try Support.headers(of: [disposition + #""factura %22final%22.pdf""#])?.filename == #"factura "final".pdf"#)
        // A backslash before anything else is literal: browsers do not escape it.
        #expect(try Support.headers(of: [disposition + #""C:\fotos\a.jpg""#])?.filename == #"C:\fotos\a.jpg"#)
        // Line breaks stay encoded; other percent signs are themselves.
        #expect(try Support.headers(of: [disposition + #""a%0D%0Ab 100%.txt""#])?.filename == "a%0D%0Ab 100%.txt")
        // Unquoted, and a `;` inside quotes.
        #expect(try Support.headers(of: [disposition + "plain.txt"])?.filename == "plain.txt")
        #expect(try Support.headers(of: [disposition + "\"a; b.txt\""])?.filename == "a; b.txt")
        #expect(try Support.headers(of: [#"content-disposition: FORM-DATA; NAME="f"; FileName="x.txt""#]) == MultipartPartHeaders(name: "f", filename: "x.txt"))
    }

    @Test func prefersAnExtendedFilename() throws {
        let disposition = "Content-Disposition: form-data; name=\"file\"; "
        #expect(try Support.headers(of: [disposition + "filename=\"foto.jpg\"; filename*=UTF-8''fot%C3%B3%20%E2%82%AC.jpg"])?.filename == "fotó €.jpg")
        #expect(try Support.headers(of: [disposition + "filename*=utf-8'es'a%22b.txt; filename=\"x\""])?.filename == "a\"b.txt")
        #expect(try Support.headers(of: [disposition + "filename*=ISO-8859-1''fot%F3.jpg"])?.filename == "fotó.jpg")
    }

    @Test(arguments: ["%", "%4", "a%4", "%zz", "%C3", "%0D%0A", "%00", "%E2%82"])
    func fallsBackFromABadlyEncodedExtendedFilename(encoded: String) throws {
        let line = "Content-Disposition: form-data; name=\"file\"; filename=\"plain.txt\"; filename*=UTF-8''\(encoded)"
        #expect(try Support.headers(of: [line])?.filename == "plain.txt")
    }

    @Test(arguments: ["UTF-8'a.txt", "a.txt", "KOI8-R''a.txt"])
    func fallsBackFromAnExtendedFilenameItCannotRead(value: String) throws {
        let line = "Content-Disposition: form-data; name=\"file\"; filename=\"plain.txt\"; filename*=\(value)"
        #expect(try Support.headers(of: [line])?.filename == "plain.txt")
    }

    // MARK: Limits

    @Test func refusesMorePartsThanTheLimit() throws {
        let part = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n"
        let limits = MultipartLimits(maxParts: 2)
        #expect(try Support.read(Array((part + part + "--b--").utf8), boundary: "b", limits: limits).count == 6)
        #expect(Support.error(Array((part + part + part + "--b--").utf8), boundary: "b", limits: limits) == .tooManyParts)
        #expect(Support.error(Array((part + part + part + "--b--").utf8), boundary: "b", chunkSizes: [1], limits: limits) == .tooManyParts)
    }

    @Test func refusesAHeaderBlockOverTheLimit() throws {
        let line = "Content-Disposition: form-data; name=\"file\"; filename=\"\(String(repeating: "x", count: 100))\""
        let body = Support.body(headers: [line], content: [0x31])
        // CRLF after the boundary, the line and its CRLF, the blank line.
        let size = 2 + line.utf8.count + 2 + 2
        for chunkSizes in [[Int.max], [1], [7]] {
            #expect(try Support.read(body, boundary: "boundary", chunkSizes: chunkSizes, limits: MultipartLimits(maxHeaderBytes: size)).count == 3)
            #expect(Support.error(body, boundary: "boundary", chunkSizes: chunkSizes, limits: MultipartLimits(maxHeaderBytes: size - 1)) == .headerTooLarge)
        }
        // Padding counts too, and cannot be sent forever.
        let padded = Array("--b".utf8) + [UInt8](repeating: 0x20, count: 9000)
        #expect(Support.error(padded, boundary: "b") == .headerTooLarge)
        // Nor can a header line without end.
        let endless = Array("--b\r\nX-Long: ".utf8) + [UInt8](repeating: 0x61, count: 9000)
        #expect(Support.error(endless, boundary: "b", chunkSizes: [100]) == .headerTooLarge)
    }

    @Test func holdsAtMostADelimiterOfABody() throws {
        let boundary = Support.chromiumBoundary
        var reader = MultipartReader(boundary: Array(boundary.utf8))
        _ = try reader.feed(Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n".utf8))
        var generator = SeededGenerator(state: 7)
        var received = 0
        for _ in 0..<32 {
            // 64 KiB chunks ending in a delimiter's beginning, the worst case for holding
            // back, each beginning with a byte that does not complete it.
            let chunk = [0x00] + (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) } + Array("\r\n--\(boundary.dropLast())".utf8)
            for event in try reader.feed(chunk) {
                if case .body(let bytes) = event { received += bytes.count }
            }
            #expect(reader.bufferedByteCount <= 4 + boundary.utf8.count - 1)
        }
        #expect(received == 32 * (1 + 65_536 + 4 + boundary.utf8.count - 1) - reader.bufferedByteCount)
    }

    // MARK: Malformed bodies

    @Test(arguments: [
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx",
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n",
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b",
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b-",
        "--b",
        "no boundary at all",
        "",
    ])
    func finishRefusesABodyWithoutClosingBoundary(body: String) {
        for chunkSizes in [[Int.max], [1]] {
            #expect(Support.error(Array(body.utf8), boundary: "b", chunkSizes: chunkSizes) == .missingClosingBoundary)
        }
    }

    @Test(arguments: [
        "--bx\r\n\r\n\r\n--b--",  // boundary followed by other text
        "--b-x\r\n\r\n\r\n--b--",  // a single dash
        "--b  x\r\n\r\n\r\n--b--",  // padding, then not CRLF
        "--b  --",  // padding before the closing dashes
        "--b\rx",  // CR without LF
        "--b\r\nContent-Disposition: form-data; name=\"a\"\n\r\n\r\n--b--",  // bare LF in the headers
        "--b\r\nContent-Disposition form-data\r\n\r\n\r\n--b--",  // no colon
        "--b\r\nX-A: 1\r\n folded\r\n\r\n\r\n--b--",  // folded header
        "--b\r\nContent Disposition: form-data\r\n\r\n\r\n--b--",  // space in a header name
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n\r\n--b--",
        "--b\r\nContent-Type: text/plain\r\nContent-Type: image/png\r\n\r\n\r\n--b--",
        "--b\r\nContent-Disposition: attachment; filename=\"a\"\r\n\r\n\r\n--b--",
        "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\n\r\n--b--",  // unterminated quote
        "--b\r\nContent-Disposition: form-data; name=\"a\"; name=\"b\"\r\n\r\n\r\n--b--",  // parameter twice
        "--b\r\nContent-Disposition: form-data; name\r\n\r\n\r\n--b--",  // parameter without value
        "--b\r\nContent-Disposition: form-data; name=\"a\"x\r\n\r\n\r\n--b--",  // text after a quoted value
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--bb\r\n--b--",  // boundary-prefixed line in a body
    ])
    func refusesAMalformedBody(body: String) {
        for chunkSizes in [[Int.max], [1]] {
            guard case .malformed? = Support.error(Array(body.utf8), boundary: "b", chunkSizes: chunkSizes) else {
                Issue.record("not refused as malformed with chunks \(chunkSizes): \(body.debugDescription)")
                continue
            }
        }
    }

    @Test func keepsThrowingAfterAnError() throws {
        var reader = MultipartReader(boundary: Array("b".utf8))
        #expect(throws: MultipartError.malformed("boundary followed by something other than CRLF or \"--\"")) { try reader.feed(Array("--bx".utf8)) }
        #expect(throws: MultipartError.malformed("boundary followed by something other than CRLF or \"--\"")) { try reader.feed(Array("\r\n".utf8)) }
        #expect(throws: MultipartError.malformed("boundary followed by something other than CRLF or \"--\"")) { try reader.finish() }
    }
}
