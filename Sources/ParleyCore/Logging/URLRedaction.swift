/// Hides the secrets in a URL before it is logged or put in an error message:
/// `postgres://parley:s3cret@db/parley` becomes `postgres://parley:***@db/parley`.
///
/// Works on text that is not a valid URL too — the malformed URL is exactly the one an
/// error message quotes — so it errs on the side of hiding: everything between `://`
/// and the last `@` except the user name, and the value of any query parameter whose
/// name mentions a password, secret, token or key.
public enum URLRedaction {
    /// What a hidden secret shows as.
    public static let mask = "***"

    private static let secretParameterHints = ["pass", "secret", "token", "key"]

    public static func redact(_ text: String) -> String {
        var result = redactUserInfo(text)
        if let question = result.firstIndex(of: "?") {
            let query = result[result.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map {
                parameter -> String in
                guard let equals = parameter.firstIndex(of: "=") else { return String(parameter) }
                let name = parameter[..<equals].lowercased()
                guard secretParameterHints.contains(where: { name.contains($0) }) else { return String(parameter) }
                return parameter[...equals] + mask
            }
            result = result[...question] + query.joined(separator: "&")
        }
        return result
    }

    private static func redactUserInfo(_ text: String) -> String {
        let authorityStart = text.range(of: "://")?.upperBound ?? text.startIndex
        // The last `@`: an unescaped `@` (or `/`, `?`, `#`) inside a password must not let
        // part of it through.
        guard let at = text[authorityStart...].lastIndex(of: "@") else { return text }
        let userInfo = text[authorityStart..<at]
        guard let colon = userInfo.firstIndex(of: ":") else {
            // No `user:` part: with a scheme it is a user name; without one it may be anything.
            return authorityStart == text.startIndex ? mask + text[at...] : text
        }
        return text[..<authorityStart] + userInfo[..<colon] + ":" + mask + text[at...]
    }
}
