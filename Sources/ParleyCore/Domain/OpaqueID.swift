/// An id compared and hashed by its UTF-8 bytes.
///
/// Swift's `String` equality is canonical equivalence: `"José"` in NFC (`é` as one
/// scalar) equals `"José"` in NFD (`e` + U+0301). The stores compare ids as bytes, so to
/// them those are two users. Every in-memory comparison of a client-supplied id (user
/// ids above all) must agree with the stores, or one user could act as, or receive the
/// events of, another: key dictionaries and sets by `OpaqueID`, and compare with
/// `String.isSameID(as:)`.
public struct OpaqueID: Hashable, Sendable, CustomStringConvertible {
    public let string: String

    public init(_ string: String) {
        self.string = string
    }

    public static func == (lhs: OpaqueID, rhs: OpaqueID) -> Bool {
        lhs.string.isSameID(as: rhs.string)
    }

    public func hash(into hasher: inout Hasher) {
        var string = string
        string.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    public var description: String { string }
}

extension String {
    /// Whether two ids are the same bytes of UTF-8 (not merely canonically equivalent).
    @inlinable
    public func isSameID(as other: String) -> Bool {
        utf8.elementsEqual(other.utf8)
    }
}
