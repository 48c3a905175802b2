/// A web origin spelled the way browsers send it in `Origin` and `MessageEvent.origin`:
/// `http://host` or `https://host`, with `:port` only when it is not the scheme's
/// default, in lowercase, with no path, no trailing slash and no wildcard.
///
/// `--allowed-origins` must be spelled so: the realtime Origin check and the web
/// client's postMessage check compare these strings as they are, and they go verbatim
/// into the page's Content-Security-Policy (`frame-ancestors`) and a `<meta>` tag, where
/// a space, `;`, `'` or `"` would change their meaning.
public enum BrowserOrigin {
    /// The longest origin accepted (a DNS name is at most 253 bytes, plus scheme and port).
    static let maxBytes = 300

    public static func isValid(_ text: String) -> Bool {
        guard text.utf8.count <= maxBytes else { return false }
        let defaultPort: String
        let rest: Substring
        if text.hasPrefix("https://") {
            (defaultPort, rest) = ("443", text.dropFirst("https://".count))
        } else if text.hasPrefix("http://") {
            (defaultPort, rest) = ("80", text.dropFirst("http://".count))
        } else {
            return false
        }
        let host: Substring
        let port: Substring?
        if rest.hasPrefix("[") {
            // An IPv6 literal: [hex:digits], then perhaps :port.
            guard let close = rest.firstIndex(of: "]") else { return false }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            guard host.utf8.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }),
                host.contains(":")
            else { return false }
            if after.isEmpty {
                port = nil
            } else if after.hasPrefix(":") {
                port = after.dropFirst()
            } else {
                return false
            }
        } else {
            let parts = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            host = parts[0]
            port = parts.count == 2 ? parts[1] : nil
            let labels = host.split(separator: ".", omittingEmptySubsequences: false)
            guard
                labels.allSatisfy({ label in
                    !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                        && label.utf8.allSatisfy { isLowercaseLetterOrDigit($0) || $0 == UInt8(ascii: "-") }
                })
            else { return false }
        }
        guard !host.isEmpty else { return false }
        if let port {
            guard !port.isEmpty, port.utf8.count <= 5, port.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                port.first != "0", let number = Int(port), (1...65535).contains(number), port != defaultPort
            else { return false }
        }
        return true
    }

    private static func isLowercaseLetterOrDigit(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }
}
