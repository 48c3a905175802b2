/// Finds a part delimiter (`CRLF--boundary`) in a buffer with Boyer-Moore-Horspool:
/// on file bytes the byte under the delimiter's last position rarely occurs in it, so
/// the scan jumps about a delimiter's length (40-odd bytes for a browser's boundary)
/// per comparison instead of looking at every byte.
struct MultipartDelimiterSearch: Sendable {
    let delimiter: [UInt8]
    /// How far the window may move when its last byte is the index: the distance from
    /// that byte's last occurrence in the delimiter (its final byte excluded) to the end.
    private let shifts: [Int]

    init(delimiter: [UInt8]) {
        precondition(!delimiter.isEmpty)
        self.delimiter = delimiter
        var shifts = [Int](repeating: delimiter.count, count: 256)
        for index in 0..<(delimiter.count - 1) {
            shifts[Int(delimiter[index])] = delimiter.count - 1 - index
        }
        self.shifts = shifts
    }

    /// Where the first whole delimiter in `bytes[start...]` begins, if any.
    func firstMatch(in bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { haystack in
            delimiter.withUnsafeBufferPointer { needle in
                shifts.withUnsafeBufferPointer { shifts in
                    let length = needle.count
                    let lastByte = needle[length - 1]
                    var position = start
                    while position <= haystack.count - length {
                        let last = haystack[position + length - 1]
                        if last == lastByte {
                            var compared = 0
                            while compared < length - 1 && haystack[position + compared] == needle[compared] { compared += 1 }
                            if compared == length - 1 { return position }
                        }
                        position += shifts[Int(last)]
                    }
                    return nil
                }
            }
        }
    }

    /// Where a delimiter could still begin in `bytes[start...]` that the bytes so far do
    /// not complete: the first position whose bytes up to the end are a prefix of the
    /// delimiter, or `bytes.count`. Call only when `firstMatch` found nothing; the bytes
    /// from here on must be held until more arrive.
    func unfinishedMatchStart(in bytes: [UInt8], from start: Int) -> Int {
        var position = max(start, bytes.count - delimiter.count + 1)
        while position < bytes.count {
            var compared = 0
            while position + compared < bytes.count && bytes[position + compared] == delimiter[compared] { compared += 1 }
            if position + compared == bytes.count { return position }
            position += 1
        }
        return bytes.count
    }
}
