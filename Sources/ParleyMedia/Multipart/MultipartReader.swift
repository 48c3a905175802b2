/// A streaming reader of `multipart/form-data` bodies (RFC 7578 over RFC 2046): feed it
/// the request body in chunks as they arrive, and it returns the parts' headers and
/// body bytes as events, holding back only what the next chunk must decide.
///
/// ```swift
/// var reader = MultipartReader(boundary: boundary)
/// for try await chunk in request.body {
///     for event in try reader.feed(chunk.readableBytesView) { … }
/// }
/// for event in try reader.finish() { … }
/// ```
///
/// What it accepts:
/// - a preamble before the first boundary line, and an epilogue after the closing one,
///   both ignored; the first boundary line may open the body;
/// - transport padding (spaces, tabs) after a boundary, before its CRLF;
/// - CRLF line breaks only. Browsers, curl and HTTP libraries all send CRLF; accepting
///   a bare LF would make `LF--boundary` inside a file's bytes end the file early, so a
///   bare CR or LF in a part's headers is `malformed`, and in a body it is body bytes;
/// - `CRLF--boundary` followed by anything but padding + CRLF or `--` is `malformed`
///   rather than body: RFC 2046 has the sender choose a boundary that never occurs in a
///   part, so it can only mean a broken sender.
///
/// Memory: body bytes are returned as soon as no delimiter can begin in them, so between
/// calls the reader holds at most a delimiter's length minus one (73 bytes) in a body,
/// or one part's header block (`MultipartLimits.maxHeaderBytes`) while headers arrive.
/// Each call also copies the chunk it is given once, and its body bytes once more into
/// the events.
public struct MultipartReader: Sendable {
    private enum State: Sendable {
        /// Before the first boundary: bytes are discarded.
        case preamble
        /// Inside a part's body: bytes are returned.
        case body
        /// Just after a `CRLF--boundary`, with this many padding bytes read so far.
        case afterDelimiter(padding: Int)
        /// Reading a part's headers.
        case headers(MultipartHeaderBlock)
        /// After the closing boundary: bytes are discarded.
        case epilogue
        case failed(MultipartError)
        case finished
    }

    private let search: MultipartDelimiterSearch
    private let limits: MultipartLimits
    private var state = State.preamble
    /// Bytes received and not yet consumed.
    private var pending: [UInt8]
    /// In `headers`, the index in `pending` where the search for the current line's CRLF
    /// resumes, so that headers arriving a byte at a time are still read in linear time.
    private var lineSearchStart = 0
    private var partCount = 0

    /// - Parameter boundary: 1 to 70 bytes, as `MultipartBoundary.parse` gives them.
    public init(boundary: [UInt8], limits: MultipartLimits = MultipartLimits()) {
        precondition((1...MultipartBoundary.maxLength).contains(boundary.count), "a multipart boundary is 1 to 70 bytes")
        search = MultipartDelimiterSearch(delimiter: [MultipartByte.carriageReturn, MultipartByte.lineFeed, MultipartByte.dash, MultipartByte.dash] + boundary)
        self.limits = limits
        // The delimiter is CRLF--boundary, but the first one may open the body: start
        // with a line break already seen.
        pending = [MultipartByte.carriageReturn, MultipartByte.lineFeed]
    }

    /// Bytes received and held until a later chunk decides what they are.
    public var bufferedByteCount: Int {
        pending.count
    }

    /// Feeds the next chunk of the request body; returns the events it completes. Body
    /// bytes that might be the start of a boundary are held back until the next chunk
    /// decides. After an error every further call throws the same error.
    public mutating func feed(_ chunk: some Collection<UInt8>) throws(MultipartError) -> [MultipartEvent] {
        switch state {
        case .failed(let error): throw error
        case .finished: throw .malformed("body fed after its end")
        case .epilogue: return []
        default: break
        }
        let copied: Void? = chunk.withContiguousStorageIfAvailable { pending.append(contentsOf: $0) }
        if copied == nil { pending.append(contentsOf: chunk) }

        var events: [MultipartEvent] = []
        do {
            try read(into: &events)
        } catch {
            state = .failed(error)
            pending = []
            throw error
        }
        return events
    }

    /// The body ended: throws unless the closing boundary was seen.
    public mutating func finish() throws(MultipartError) -> [MultipartEvent] {
        switch state {
        case .failed(let error): throw error
        case .finished: return []
        case .epilogue:
            state = .finished
            return []
        default:
            state = .failed(.missingClosingBoundary)
            pending = []
            throw .missingClosingBoundary
        }
    }

    /// Consumes what `pending` decides, appending the events, and drops the consumed bytes.
    private mutating func read(into events: inout [MultipartEvent]) throws(MultipartError) {
        var position = 0
        reading: while true {
            switch state {
            case .preamble, .body:
                let inBody = if case .body = state { true } else { false }
                guard let match = search.firstMatch(in: pending, from: position) else {
                    let held = search.unfinishedMatchStart(in: pending, from: position)
                    if inBody && held > position { events.append(.body(Array(pending[position..<held]))) }
                    position = held
                    break reading
                }
                if inBody {
                    if match > position { events.append(.body(Array(pending[position..<match]))) }
                    events.append(.partEnd)
                }
                position = match + search.delimiter.count
                state = .afterDelimiter(padding: 0)

            case .afterDelimiter(let padding):
                guard position < pending.count else { break reading }
                let byte = pending[position]
                if byte == MultipartByte.dash && padding == 0 {
                    guard position + 1 < pending.count else { break reading }
                    guard pending[position + 1] == MultipartByte.dash else {
                        throw .malformed("boundary followed by a single \"-\"")
                    }
                    state = .epilogue
                } else if MultipartByte.isWhitespace(byte) {
                    // Padding belongs to the next part's header budget, which bounds it.
                    guard padding + 1 <= limits.maxHeaderBytes else { throw .headerTooLarge }
                    state = .afterDelimiter(padding: padding + 1)
                    position += 1
                } else if byte == MultipartByte.carriageReturn {
                    guard position + 1 < pending.count else { break reading }
                    guard pending[position + 1] == MultipartByte.lineFeed else {
                        throw .malformed("boundary line not ended by CRLF")
                    }
                    partCount += 1
                    guard partCount <= limits.maxParts else { throw .tooManyParts }
                    position += 2
                    state = .headers(MultipartHeaderBlock(byteCount: padding + 2))
                    lineSearchStart = position
                } else {
                    throw .malformed("boundary followed by something other than CRLF or \"--\"")
                }

            case .headers(var block):
                guard let lineEnd = lineBreak(from: max(position, lineSearchStart)) else {
                    // Counted the same way as a complete line below, so that where the
                    // chunks happen to end never changes the outcome.
                    guard block.byteCount + (pending.count - position) <= limits.maxHeaderBytes else { throw .headerTooLarge }
                    // A CR at the end may yet be followed by its LF.
                    lineSearchStart = max(position, pending.count - 1)
                    break reading
                }
                let lineLength = lineEnd - position
                guard block.byteCount + lineLength + 2 <= limits.maxHeaderBytes else { throw .headerTooLarge }
                block.byteCount += lineLength + 2
                if lineLength == 0 {
                    events.append(.partStart(block.headers))
                    state = .body
                } else {
                    try block.add(line: pending[position..<lineEnd])
                    state = .headers(block)
                }
                position = lineEnd + 2
                lineSearchStart = position

            case .epilogue:
                position = pending.count
                break reading

            case .failed, .finished:
                break reading
            }
        }
        pending.removeFirst(position)
        lineSearchStart = max(0, lineSearchStart - position)
    }

    /// The index of the next CRLF in `pending` at or after `start`.
    private func lineBreak(from start: Int) -> Int? {
        var index = start
        while index + 1 < pending.count {
            if pending[index] == MultipartByte.carriageReturn && pending[index + 1] == MultipartByte.lineFeed { return index }
            index += 1
        }
        return nil
    }
}
