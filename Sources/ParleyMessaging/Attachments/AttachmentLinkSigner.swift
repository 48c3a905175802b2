import Crypto
import Foundation
import ParleyCore

/// Short-lived links to an attachment that work without the `Authorization` header (for
/// `<img src>` and downloads): `/api/attachments/{id}?expires=…&signature=…`, where the
/// signature is an HMAC-SHA256 of the id and the expiry under a key every node shares.
/// The same query works on `/thumbnail`. A link that fails verification, whether
/// tampered, malformed or expired, is refused with 403.
public struct AttachmentLinkSigner: Sendable {
    private let key: SymmetricKey

    /// Derives the key from `secret` (the JWT secret: every node of a cluster has it).
    public init(secret: [UInt8]) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: secret), info: Data("parley attachment links v1".utf8), outputByteCount: 32)
    }

    /// A link to `attachmentID` valid until `now` plus ``AttachmentLimits/linkLifetimeMilliseconds``.
    public func link(to attachmentID: String, now: Timestamp) -> (url: String, expiresAt: Timestamp) {
        let expires = now.millisecondsSince1970 + AttachmentLimits.linkLifetimeMilliseconds
        let id = attachmentID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? attachmentID
        return ("/api/attachments/\(id)?expires=\(expires)&signature=\(signature(attachmentID, expires: expires))",
            Timestamp(millisecondsSince1970: expires))
    }

    /// Throws `forbidden` unless `signature` signs `attachmentID` until `expires` and that
    /// time has not passed.
    public func verify(_ attachmentID: String, expires: String?, signature: String?, now: Timestamp) throws(ParleyError) {
        guard let expires, let expiresAt = Int64(expires), let signature,
            signature.utf8.count <= 64, let mac = Data(base64URLEncoded: signature),
            HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Self.signedText(attachmentID, expires: expiresAt), using: key)
        else { throw .forbidden(reason: "this link is not valid") }
        guard now.millisecondsSince1970 <= expiresAt else { throw .forbidden(reason: "this link has expired") }
    }

    private func signature(_ attachmentID: String, expires: Int64) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Self.signedText(attachmentID, expires: expires), using: key))
            .base64URLEncodedString()
    }

    private static func signedText(_ attachmentID: String, expires: Int64) -> Data {
        Data("\(attachmentID)\n\(expires)".utf8)
    }
}
