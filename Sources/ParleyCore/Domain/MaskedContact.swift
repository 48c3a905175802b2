/// A kind of contact detail that contact masking replaced by `[…]` in a message (`masked`
/// on the wire), so buyer and seller finish the deal on the marketplace.
public enum MaskedContact: String, Sendable, Codable, CaseIterable, Comparable {
    case phone
    case email
    case link
    case handle

    public static func < (lhs: MaskedContact, rhs: MaskedContact) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
