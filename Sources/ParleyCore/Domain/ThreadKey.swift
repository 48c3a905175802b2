/// The identity of a thread: the set of participants plus the order, or the product
/// when there is no order, or neither (one general thread per set of participants).
public enum ThreadKey {
    public static func make(participantIDs: [String], productID: String?, orderID: String?) -> String {
        let subject: String
        if let orderID {
            subject = "order:" + orderID
        } else if let productID {
            subject = "product:" + productID
        } else {
            subject = "general"
        }
        // U+001F (unit separator) cannot appear in a valid user id, so the key is unambiguous.
        return subject + "\u{1F}" + Set(participantIDs).sorted().joined(separator: "\u{1F}")
    }
}
