import ParleyCore

/// Reads only the `id` of a frame that could not be decoded, to echo it in the error.
struct FrameIDOnly: Decodable {
    var id: FrameID?
}
