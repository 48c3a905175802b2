import ParleyCore

/// Who may see and change which templates, FAQ entries and settings.
///
/// Buyer and seller tokens have the same rights (one person buys in one conversation
/// and sells in another): either keeps personal templates, its own FAQ entries and its
/// own settings. `support` and `service` manage shared templates and global entries, and
/// may act for a seller. Another user's personal template is `404`, as if unknown.
enum AssistPolicy {
    static func canSee(_ template: MessageTemplate, _ principal: Principal) -> Bool {
        switch template.scope {
        case .shared: true
        case .personal: template.ownerID.isSameID(as: principal.userID)
        }
    }

    static func requireCanManage(_ scope: TemplateScope, _ principal: Principal) throws(ParleyError) {
        if scope == .shared && !principal.role.seesEverything {
            throw .forbidden(reason: "only support and service manage shared templates")
        }
    }

    /// Whether `principal` may see `entry`: its owner, support and service always; others
    /// only enabled entries (buyers read a seller's FAQ).
    static func canSee(_ entry: FAQEntry, _ principal: Principal) -> Bool {
        entry.enabled || canManage(entry, principal)
    }

    static func canManage(_ entry: FAQEntry, _ principal: Principal) -> Bool {
        if principal.role.seesEverything { return true }
        return entry.scope == .seller && entry.ownerID?.isSameID(as: principal.userID) == true
    }

    /// The scope and owner of a new entry: a buyer or seller token's own (`seller`, owner
    /// the caller); support and service give `ownerId` to act for a seller, else `global`.
    static func placement(_ draft: FAQEntryBody, for principal: Principal) throws(ParleyError) -> (FAQScope, String?) {
        if principal.role.seesEverything {
            let scope = draft.scope ?? (draft.ownerId == nil ? .global : .seller)
            switch scope {
            case .global:
                if draft.ownerId != nil { throw .invalid(field: "ownerId", reason: "a global entry has no owner") }
                return (.global, nil)
            case .seller:
                guard let owner = draft.ownerId else {
                    throw .invalid(field: "ownerId", reason: "required for a seller entry made by support or service")
                }
                try Validation.userID(owner, field: "ownerId")
                return (.seller, owner)
            }
        }
        if draft.scope == .global { throw .forbidden(reason: "only support and service manage global entries") }
        if let owner = draft.ownerId, !owner.isSameID(as: principal.userID) {
            throw .forbidden(reason: "a seller manages only its own entries")
        }
        return (.seller, principal.userID)
    }

    /// Whose settings a request reads or changes: the caller's own; support and service
    /// name the seller.
    static func settingsOwner(_ sellerID: String?, for principal: Principal) throws(ParleyError) -> String {
        if principal.role.seesEverything {
            guard let sellerID else { throw .invalid(field: "sellerId", reason: "required for support and service") }
            try Validation.userID(sellerID, field: "sellerId")
            return sellerID
        }
        if let sellerID, !sellerID.isSameID(as: principal.userID) {
            throw .forbidden(reason: "a seller changes only its own settings")
        }
        return principal.userID
    }
}
