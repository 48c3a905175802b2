/// The rules of `markRead` both stores follow: a read position moves only forward, never
/// past the conversation's newest message, and a read that moves nothing writes nothing.
public enum ReadAdvance {
    /// The answer without a write when `current` (the stored position; `nil`: none yet)
    /// already reached `seq`; `nil` when the position must move.
    public static func unmoved(current: Int64?, seq: Int64) -> ReadMark? {
        guard let current, current >= seq else { return nil }
        return ReadMark(position: current, moved: false)
    }

    /// Throws `invalid` when `seq` lies beyond the newest message, `lastSeq`.
    public static func check(_ seq: Int64, newest lastSeq: Int64) throws(ParleyError) {
        if seq > lastSeq { throw ParleyError.invalid(field: "seq", reason: "beyond the newest message (\(lastSeq))") }
    }
}
