/// Turns a text into a fixed-size vector whose cosine with another text's vector says how
/// close their meanings are.
///
/// The assist matcher depends on this protocol, not on a model, so it can run (and be
/// tested) with any embedder; ``SentenceEncoder`` is the one the server loads.
public protocol SentenceEmbedder: Sendable {
    /// The length of every vector ``embed(_:)`` returns.
    var dimension: Int { get }
    /// Names the model and its version; vectors from different models must not be compared,
    /// so stores keep it beside the vectors they keep.
    var modelName: String { get }
    /// The text's vector: `dimension` values, L2-normalised (so a dot product is a cosine).
    func embed(_ text: String) -> [Float]
}
