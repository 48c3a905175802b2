import Crypto
import ParleyCore

/// Where the key of signed attachment links comes from: given (derived from the JWT
/// secret every node has), or, with no shared secret (`--jwt-public-key`), a random key
/// the first node stores in the database and every node then reads — so a link made on
/// one node opens on all of them. Read once, on first use (the store's writer is not
/// running yet when the service is built).
actor LinkSignerSource {
    static let keyName = "attachment-links"

    private let store: any AttachmentStore
    private var signer: AttachmentLinkSigner?

    init(fixed: AttachmentLinkSigner?, store: any AttachmentStore) {
        self.signer = fixed
        self.store = store
    }

    func current() async throws -> AttachmentLinkSigner {
        if let signer { return signer }
        let candidate = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        let loaded = AttachmentLinkSigner(secret: try await store.sharedKey(named: Self.keyName, candidate: candidate))
        signer = loaded
        return loaded
    }
}
