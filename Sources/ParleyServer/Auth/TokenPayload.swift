import Foundation
import JWTKit
import ParleyCore
import Synchronization

/// The claims Parley reads. `exp` is not optional: a token without it does not decode.
struct TokenPayload: JWTPayload {
    var sub: String
    var role: String
    var name: String?
    var exp: Double
    var nbf: Double?
    var iat: Double?
    var iss: String?
    var aud: Audience?

    /// `aud` is a string or an array of strings.
    struct Audience: Codable, Sendable {
        var values: [String]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let single = try? container.decode(String.self) {
                values = [single]
            } else {
                values = try container.decode([String].self)
            }
        }

        init(_ values: [String]) { self.values = values }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            if values.count == 1 { try container.encode(values[0]) } else { try container.encode(values) }
        }
    }

    /// Claims are checked by `TokenVerifier`, which knows the configuration and clock.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
