/// How a store turns the range a reader asks for into the bytes it reads.
///
/// Offsets are inclusive, as in HTTP's `Range: bytes=first-last`. A range whose first
/// byte lies inside the blob is answered, its last byte clamped to the blob's last (as
/// HTTP does with `bytes=0-999999`); one that starts at or past the end — or before 0 —
/// throws `BlobStoreError.rangeNotSatisfiable` (HTTP's `416`). The whole of an empty
/// blob is empty; no range of it is satisfiable.
enum BlobRange {
    /// The half-open span of `size` bytes that `range` asks for.
    static func resolve(_ range: ClosedRange<Int64>?, size: Int64, key: String) throws(BlobStoreError) -> Range<Int64> {
        guard let range else { return 0..<size }
        guard range.lowerBound >= 0, range.lowerBound < size else { throw .rangeNotSatisfiable(key) }
        return range.lowerBound..<(min(range.upperBound, size - 1) + 1)
    }
}
