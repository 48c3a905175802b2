/// A `Range: bytes=…` request header read against a body of `size` bytes (RFC 9110
/// §14.2). One range only: a list of several ranges is answered with the whole body,
/// which the RFC allows.
enum ByteRangeRequest: Equatable {
    /// No usable Range header: the whole body, `200`.
    case whole
    /// `206` with these bytes.
    case part(ClosedRange<Int64>)
    /// `416`: the range starts past the end.
    case unsatisfiable

    init(header: String?, size: Int64) {
        guard let header else { self = .whole; return }
        let trimmed = header.trimmingWhitespace()
        guard trimmed.lowercased().hasPrefix("bytes="), size > 0 else { self = .whole; return }
        let spec = trimmed.dropFirst("bytes=".count)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { self = .whole; return }
        let first = spec[..<dash].trimmingWhitespace()
        let last = spec[spec.index(after: dash)...].trimmingWhitespace()
        switch (Int64(first), Int64(last)) {
        case (let start?, nil) where last.isEmpty && start >= 0:
            self = start < size ? .part(start...(size - 1)) : .unsatisfiable
        case (let start?, let end?) where start >= 0 && end >= start:
            self = start < size ? .part(start...min(end, size - 1)) : .unsatisfiable
        case (nil, let suffix?) where first.isEmpty && suffix > 0:
            self = .part(max(0, size - suffix)...(size - 1))
        case (nil, 0) where first.isEmpty:
            self = .unsatisfiable
        default:
            // Malformed: ignored, as the RFC says.
            self = .whole
        }
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String { String(self).trimmingWhitespace() }
}
