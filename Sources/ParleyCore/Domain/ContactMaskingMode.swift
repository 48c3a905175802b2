/// When contact details in buyer and seller messages are masked (`--mask-contacts`).
public enum ContactMaskingMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// In conversations without an `orderId`: before a sale, when taking it elsewhere
    /// costs the marketplace the sale.
    case beforeOrder = "before-order"
    case always
    case never

    /// Whether a message in a conversation with (or without) an order is masked.
    public func applies(orderID: String?) -> Bool {
        switch self {
        case .beforeOrder: orderID == nil
        case .always: true
        case .never: false
        }
    }
}
