// libFuzzer target: bearer token handling in `TokenVerifier` (ParleyServer/Auth), compiled
// together with the real jwt-kit from the debug build. Two kinds of input:
// - without a NUL byte: the input is the token as a client sends it (malformed parts,
//   bad base64, headers with every `alg`, garbage), refused before or by jwt-kit;
// - `header JSON` NUL `claims JSON`: the harness signs it with the verifier's own secret,
//   so every claim reaches our decoding and checks (`exp`, `nbf`, `sub`, `role`, `aud`).
import Crypto
import Foundation
import ParleyCore

/// The HS256 secret the harness both verifies and signs with.
private let fuzzSecret = "parley-fuzzing-secret-0123456789abcdef"
/// A fixed "now", so a finding replays the same way.
private let fuzzNow = Date(timeIntervalSince1970: 1_764_000_000)

/// The verifier, made once: jwt-kit's key collection is built asynchronously.
private let fuzzVerifier: TokenVerifier = waitFor {
    try! await TokenVerifier(key: .hmacSecret(fuzzSecret), issuer: "marketplace", audience: "parley")
}

/// The result of async work, handed to the thread waiting for it (written before the
/// semaphore is signalled, read after it is waited on).
private final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}

/// Runs async work to completion from libFuzzer's synchronous callback.
private func waitFor<Value: Sendable>(_ work: @escaping @Sendable () async -> Value) -> Value {
    let box = ResultBox<Value>()
    let done = DispatchSemaphore(value: 0)
    Task {
        box.value = await work()
        done.signal()
    }
    done.wait()
    return box.value!
}

private func base64URL(_ data: some DataProtocol) -> String {
    Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenClaims(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let input = UnsafeBufferPointer(start: bytes, count: count)
    let token: String
    if let split = input.firstIndex(of: 0) {
        let signingInput = base64URL(input[..<split]) + "." + base64URL(input[(split + 1)...])
        let signature = HMAC<SHA256>.authenticationCode(
            for: Data(signingInput.utf8), using: SymmetricKey(data: Data(fuzzSecret.utf8)))
        token = signingInput + "." + base64URL(Data(signature))
    } else {
        // Headers carry the token as text; invalid UTF-8 never reaches the verifier intact.
        token = String(decoding: input, as: UTF8.self)
    }
    let verifier = fuzzVerifier
    let outcome = waitFor { () async -> Result<Principal, ParleyError> in
        do throws(ParleyError) {
            return .success(try await verifier.verify(token, now: fuzzNow))
        } catch {
            return .failure(error)
        }
    }
    if case .success(let principal) = outcome {
        // A token that passes names a user within the contract's limits.
        precondition(!principal.userID.isEmpty && principal.userID.utf8.count <= Limits.maxUserIDBytes, "sub out of bounds")
        if let expiresAt = principal.expiresAt {
            precondition(
                expiresAt.millisecondsSince1970 >= Int64(fuzzNow.timeIntervalSince1970 - TokenVerifier.leeway) * 1000, "expired token accepted")
        }
    }
    return 0
}
