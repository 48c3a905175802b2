import Crypto
import Foundation

/// A device's safety number: six groups of five digits that two people compare (read
/// aloud, side by side) to know that the keys one's device uses for the other's are the
/// ones that device made, not keys the server put in between.
///
/// Every Parley client computes it the same way, so that the Swift client, the web client
/// and the tests' Python counterpart show the same digits for the same device:
///
/// - digest = SHA-256(UTF-8 `"parley-safety-v1|"` ‖ signingKey (65 bytes) ‖ encryptionKey (65 bytes)),
///   both keys as uncompressed P-256 points;
/// - for i in 0..<6: the big-endian `UInt32` of digest bytes [4i, 4i+4), modulo 100000,
///   written as 5 digits with leading zeros;
/// - the six groups joined by single spaces: `"04211 93310 00072 55120 31415 99999"`.
///
/// 30 decimal digits carry about 99.7 bits of the digest: more than an attacker can match
/// by trying keys.
public enum SafetyNumber {
    /// The domain separation prefix: these digests are for nothing else.
    static let prefix = Data("parley-safety-v1|".utf8)
    static let groupCount = 6
    static let groupModulus: UInt32 = 100_000

    /// The safety number of the device with these keys (65 bytes each).
    public static func of(signingKey: Data, encryptionKey: Data) -> String {
        let digest = Array(SHA256.hash(data: prefix + signingKey + encryptionKey))
        return (0..<groupCount).map { group in
            let word = digest[(4 * group)..<(4 * group + 4)].reduce(UInt32(0)) { ($0 << 8) | UInt32($1) }
            let digits = String(word % groupModulus)
            return String(repeating: "0", count: 5 - digits.count) + digits
        }.joined(separator: " ")
    }
}
