// libFuzzer target: the streaming multipart/form-data reader of attachment uploads
// (`MultipartReader`, `MultipartBoundary`), compiled by scripts/fuzz.sh together with
// Sources/ParleyMedia/Multipart/*.swift (they import nothing but the standard library).
//
// Input: a Content-Type value, a LF, then the request body. When the first line names no
// usable boundary, the whole input is a body with the boundary "boundary". Besides not
// crashing, the reader must give the same answer however the body is cut into chunks:
// whole, in two pieces at a point taken from the input, and in small pieces of sizes
// taken from the input — the way TCP can deliver it.

/// Small limits, so that inputs of a few KiB reach them.
private let fuzzLimits = MultipartLimits(maxHeaderBytes: 300, maxParts: 4)

/// What reading a body gave: its events with consecutive `body` chunks joined (chunking
/// is free to differ), or the first error.
private struct Outcome: Equatable {
    var events: [MultipartEvent] = []
    var error: MultipartError?

    mutating func add(_ new: [MultipartEvent]) {
        for event in new {
            if case .body(let bytes) = event, case .body(let previous)? = events.last {
                events[events.count - 1] = .body(previous + bytes)
            } else {
                events.append(event)
            }
        }
    }
}

private func read(_ body: ArraySlice<UInt8>, boundary: [UInt8], chunkSizes: (Int) -> Int) -> Outcome {
    var reader = MultipartReader(boundary: boundary, limits: fuzzLimits)
    var outcome = Outcome()
    var start = body.startIndex
    var chunkIndex = 0
    do {
        while start < body.endIndex {
            let end = min(body.endIndex, start + max(0, chunkSizes(chunkIndex)))
            let events = try reader.feed(body[start..<end])
            for event in events {
                if case .body(let bytes) = event { precondition(!bytes.isEmpty, "empty body event") }
            }
            outcome.add(events)
            // Bounded memory: between chunks, at most one header block or one delimiter.
            precondition(reader.bufferedByteCount <= max(fuzzLimits.maxHeaderBytes, 75), "reader holds too much")
            start = end
            chunkIndex += 1
        }
        outcome.add(try reader.finish())
    } catch {
        // Which events came before the error depends on where the chunks ended (a feed
        // that throws returns none); the caller discards the upload anyway.
        outcome.events = []
        outcome.error = error
        // A failed reader stays failed.
        do {
            _ = try reader.feed([0x2D])
            preconditionFailure("a failed reader accepted more bytes")
        } catch let again {
            precondition(again == error, "a failed reader changed its error")
        }
    }
    return outcome
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipart(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: bytes, count: count))
    var boundary = Array("boundary".utf8)
    var body = input[...]
    if let lineEnd = input.firstIndex(of: 0x0A) {
        let contentType = String(decoding: input[..<lineEnd], as: UTF8.self)
        if let parsed = MultipartBoundary.parse(contentType: contentType) {
            precondition((1...70).contains(parsed.count) && parsed.last != 0x20, "invalid boundary accepted")
            boundary = parsed
            body = input[(lineEnd + 1)...]
        }
    }

    let whole = read(body, boundary: boundary) { _ in body.count }
    // A split point and chunk sizes that depend on the input, so the fuzzer can steer them.
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in input { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    let split = body.isEmpty ? 0 : Int(hash % UInt64(body.count + 1))
    let twoPieces = read(body, boundary: boundary) { index in index == 0 ? split : body.count }
    precondition(twoPieces == whole, "splitting the body at \(split) changed the outcome")
    let small = read(body, boundary: boundary) { index in
        1 + Int(truncatingIfNeeded: (hash >> UInt64((index % 16) * 4)) & 0xF)
    }
    precondition(small == whole, "feeding the body in small chunks changed the outcome")

    // Events are well formed: start, bodies, end, per part; never more parts than allowed.
    var inPart = false
    var parts = 0
    var bodyBytes = 0
    for event in whole.events {
        switch event {
        case .partStart(let headers):
            precondition(!inPart, "part started inside a part")
            inPart = true
            parts += 1
            for text in [headers.name, headers.filename, headers.contentType].compactMap({ $0 }) {
                precondition(!text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }), "line break or NUL in a header value")
            }
        case .body(let bytes):
            precondition(inPart, "body outside a part")
            bodyBytes += bytes.count
        case .partEnd:
            precondition(inPart, "part ended outside a part")
            inPart = false
        }
    }
    precondition(parts <= fuzzLimits.maxParts, "more parts than the limit")
    precondition(bodyBytes <= body.count, "more body bytes than input")
    if whole.error == nil { precondition(!inPart, "finished inside a part") }
    return 0
}
