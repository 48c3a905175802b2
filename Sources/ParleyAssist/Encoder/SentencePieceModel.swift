/// What a SentencePiece `.model` file (a serialized `ModelProto`) holds that the tokenizer
/// needs: the pieces with their scores, and the normaliser's settings and character map.
///
/// Fields read: `ModelProto.pieces` (1: `piece` 1, `score` 2) and `ModelProto.normalizer_spec`
/// (3: `precompiled_charsmap` 2, `add_dummy_prefix` 3, `remove_extra_whitespaces` 4,
/// `escape_whitespaces` 5, each `true` when absent, as in SentencePiece). Other fields are
/// skipped.
struct SentencePieceModel {
    /// Every piece, in id order.
    var pieces: [String] = []
    /// Each piece's log-probability; 0 for a piece without one.
    var scores: [Float] = []
    /// The normaliser's compiled rules: a darts-clone trie, then replacement strings.
    var precompiledCharsmap: [UInt8] = []
    var addDummyPrefix = true
    var removeExtraWhitespaces = true
    var escapeWhitespaces = true

    init(path: String) throws(SentenceEncoderError) {
        let bytes = try ModelFile.read(path)
        do {
            try parse(bytes)
        } catch {
            throw .badFile(path: path, reason: "malformed SentencePiece model at byte \(error.offset): \(error.reason)")
        }
        guard !pieces.isEmpty else { throw .badFile(path: path, reason: "the SentencePiece model has no pieces") }
    }

    private mutating func parse(_ bytes: [UInt8]) throws(ProtobufReader.MalformedMessage) {
        var model = ProtobufReader(bytes, range: bytes.indices)
        while let field = try model.next() {
            switch (field.number, field.value) {
            case (1, .bytes(let range)):
                try parsePiece(bytes, range)
            case (3, .bytes(let range)):
                try parseNormalizerSpec(bytes, range)
            default:
                continue
            }
        }
    }

    private mutating func parsePiece(_ bytes: [UInt8], _ range: Range<Int>) throws(ProtobufReader.MalformedMessage) {
        var message = ProtobufReader(bytes, range: range)
        var piece = ""
        var score: Float = 0
        while let field = try message.next() {
            switch (field.number, field.value) {
            case (1, .bytes(let text)):
                piece = String(decoding: bytes[text], as: UTF8.self)
            case (2, .fixed32(let bits)):
                score = Float(bitPattern: bits)
            default:
                continue
            }
        }
        pieces.append(piece)
        scores.append(score)
    }

    private mutating func parseNormalizerSpec(_ bytes: [UInt8], _ range: Range<Int>) throws(ProtobufReader.MalformedMessage) {
        var message = ProtobufReader(bytes, range: range)
        while let field = try message.next() {
            switch (field.number, field.value) {
            case (2, .bytes(let charsmap)):
                precompiledCharsmap = Array(bytes[charsmap])
            case (3, .varint(let flag)):
                addDummyPrefix = flag != 0
            case (4, .varint(let flag)):
                removeExtraWhitespaces = flag != 0
            case (5, .varint(let flag)):
                escapeWhitespaces = flag != 0
            default:
                continue
            }
        }
    }
}
