/// Splits text into the pieces of a SentencePiece unigram vocabulary: normalise, then
/// choose the segmentation whose pieces' log-probabilities sum highest (Viterbi).
///
/// Ids come back framed by the begin (`<s>`) and end (`</s>`) ids, as the encoder expects.
/// A character no piece covers becomes the unknown id; text that normalises to nothing
/// becomes a lone unknown id. Ties between segmentations go to the one found first
/// (earliest start, then shortest piece), and scores are summed in double precision: both
/// as in the reference tokenizer, so the ids are the same.
public struct SentencePieceTokenizer: Sendable {
    public static let unknownID: Int32 = 0
    public static let beginID: Int32 = 1
    public static let endID: Int32 = 2

    private let normalizer: SentencePieceNormalizer
    private let trie: PieceTrie
    private let scores: [Double]
    /// A character no piece covers costs this much: well below any real piece, so the
    /// unknown id is the last resort.
    private let unknownScore: Double
    /// How many pieces the vocabulary has.
    public let vocabularySize: Int

    /// Margin below the lowest piece score for an unknown character, as SentencePiece sets it.
    private static let unknownPenalty = 10.0

    /// Reads the SentencePiece model at `path`.
    public static func load(modelPath path: String) throws(SentenceEncoderError) -> SentencePieceTokenizer {
        let model = try SentencePieceModel(path: path)
        let expectedSpecials = ["<unk>", "<s>", "</s>"]
        guard model.pieces.count > expectedSpecials.count, Array(model.pieces.prefix(3)) == expectedSpecials else {
            throw .badFile(path: path, reason: "the first pieces are not <unk>, <s>, </s>")
        }
        return SentencePieceTokenizer(model: model, normalizer: try SentencePieceNormalizer(model: model, path: path))
    }

    private init(model: SentencePieceModel, normalizer: SentencePieceNormalizer) {
        self.normalizer = normalizer
        self.trie = PieceTrie(pieces: model.pieces)
        self.scores = model.scores.map(Double.init)
        self.unknownScore = (scores.min() ?? 0) - Self.unknownPenalty
        self.vocabularySize = model.pieces.count
    }

    /// The ids of `text`'s pieces, between the begin and end ids.
    public func pieceIDs(_ text: String) -> [Int32] {
        let normalized = normalizer.normalize(text)
        var ids: [Int32] = [Self.beginID]
        if normalized.isEmpty {
            ids.append(Self.unknownID)
        } else {
            ids.append(contentsOf: segment(String(decoding: normalized, as: UTF8.self).unicodeScalars.map(\.value)))
        }
        ids.append(Self.endID)
        return ids
    }

    /// The best segmentation of `scalars` (not empty).
    ///
    /// Every piece starting at a position shares the best path ending there, so one pass
    /// left to right keeps, for each end position, the best score and the piece that
    /// achieves it; only a strictly better score replaces it.
    private func segment(_ scalars: [UInt32]) -> [Int32] {
        let count = scalars.count
        var bestScore = [Double](repeating: -Double.greatestFiniteMagnitude, count: count + 1)
        var bestStart = [Int](repeating: 0, count: count + 1)
        var bestPiece = [Int32](repeating: Self.unknownID, count: count + 1)
        bestScore[0] = 0
        for start in 0..<count {
            let base = bestScore[start]
            var coveredByOneScalarPiece = false
            var node = PieceTrie.root
            var end = start
            while end < count, let next = trie.child(of: node, scalars[end]) {
                node = next
                end += 1
                guard let id = trie.piece(at: node) else { continue }
                if end == start + 1 { coveredByOneScalarPiece = true }
                let score = base + scores[Int(id)]
                if score > bestScore[end] {
                    bestScore[end] = score
                    bestStart[end] = start
                    bestPiece[end] = id
                }
            }
            if !coveredByOneScalarPiece {
                let score = base + unknownScore
                if score > bestScore[start + 1] {
                    bestScore[start + 1] = score
                    bestStart[start + 1] = start
                    bestPiece[start + 1] = Self.unknownID
                }
            }
        }
        var ids = [Int32]()
        var end = count
        while end > 0 {
            ids.append(bestPiece[end])
            end = bestStart[end]
        }
        return ids.reversed()
    }
}
