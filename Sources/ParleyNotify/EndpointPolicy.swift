import Foundation
import ParleyCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides whether a URL that came from outside may be called by the server.
///
/// Push endpoints come from users' browsers, so a user could name an address inside the
/// server's own network (server-side request forgery): for them only `https` is allowed,
/// and a host is refused when any address it resolves to is loopback, private,
/// link-local or otherwise not on the public internet. `--push-allow-insecure` lifts both
/// rules (development and tests). Webhook URLs are registered by the `service` user, the
/// marketplace's own backend, and may be any `http(s)` address, its own network included.
///
/// The check resolves the name once; the HTTP client resolves it again when it connects,
/// so a name whose records change in between (DNS rebinding) is not caught here.
public struct EndpointPolicy: Sendable, Equatable {
    /// Why a URL may not be called; `reason` is meant for logs and error answers.
    public struct Refusal: Error, CustomStringConvertible, Equatable {
        public var reason: String
        /// The host could not be resolved now (a DNS failure may pass): not a reason to
        /// forget a subscription, only to try again later.
        public var isTransient = false
        public var description: String { reason }
    }

    /// Only `https` URLs (otherwise `http` too).
    public var requiresHTTPS: Bool
    /// Only hosts whose every address is public.
    public var requiresPublicAddresses: Bool

    public init(requiresHTTPS: Bool, requiresPublicAddresses: Bool) {
        self.requiresHTTPS = requiresHTTPS
        self.requiresPublicAddresses = requiresPublicAddresses
    }

    /// For push endpoints: `https` and public addresses only, unless `allowInsecure`.
    public static func push(allowInsecure: Bool) -> EndpointPolicy {
        EndpointPolicy(requiresHTTPS: !allowInsecure, requiresPublicAddresses: !allowInsecure)
    }

    /// For webhooks: any `http` or `https` URL, private addresses included.
    public static let webhook = EndpointPolicy(requiresHTTPS: false, requiresPublicAddresses: false)

    /// The longest URL accepted: endpoints are stored and sent with every request.
    public static let maximumURLLength = Limits.maxURLBytes

    /// `endpoint` parsed, when this policy allows calling it; otherwise a `Refusal`
    /// saying why. May resolve the host name (a blocking `getaddrinfo`, run on NIO's
    /// thread pool, not on the caller's).
    public func check(_ endpoint: String) async throws(Refusal) -> URL {
        let (url, host) = try checkSyntax(endpoint)
        guard requiresPublicAddresses else { return url }
        if let literal = Self.addressBytes(ofLiteral: host) {
            guard Self.isPublic(literal) else { throw Refusal(reason: "the address \(host) is not a public internet address") }
            return url
        }
        let addresses: [[UInt8]]
        do {
            addresses = try await NIOThreadPool.singleton.runIfActive { try Self.resolve(host) }
        } catch {
            throw Refusal(reason: "the host \(host) cannot be resolved (\(error))", isTransient: true)
        }
        guard !addresses.isEmpty else { throw Refusal(reason: "the host \(host) has no address", isTransient: true) }
        if let inner = addresses.first(where: { !Self.isPublic($0) }) {
            throw Refusal(reason: "the host \(host) resolves to \(Self.text(of: inner)), which is not a public internet address")
        }
        return url
    }

    /// Why `endpoint` may not be called, or nil when it may (`check` without the URL).
    public func refusal(for endpoint: String) async -> String? {
        do {
            _ = try await check(endpoint)
            return nil
        } catch {
            return error.reason
        }
    }

    /// The checks that need no name resolution: length, scheme, host. Returns the URL and
    /// its host (without IPv6 brackets).
    public func checkSyntax(_ endpoint: String) throws(Refusal) -> (url: URL, host: String) {
        guard endpoint.utf8.count <= Self.maximumURLLength else {
            throw Refusal(reason: "the URL is longer than \(Self.maximumURLLength) bytes")
        }
        guard let url = URL(string: endpoint), let components = URLComponents(string: endpoint),
            let scheme = components.scheme?.lowercased()
        else { throw Refusal(reason: "not a URL") }
        switch scheme {
        case "https": break
        case "http" where !requiresHTTPS: break
        case "http": throw Refusal(reason: "only https:// URLs are allowed")
        default: throw Refusal(reason: "the scheme \(scheme) is not allowed (only http and https)")
        }
        guard var host = components.host, !host.isEmpty else { throw Refusal(reason: "the URL has no host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (url, host)
    }

    /// Whether `address` (4 or 16 bytes, network order) is on the public internet: not
    /// loopback, private (RFC 1918, unique local), shared (RFC 6598), link-local,
    /// unspecified, multicast, reserved or documentation space, looked through for IPv4
    /// addresses carried inside IPv6 ones.
    public static func isPublic(_ address: [UInt8]) -> Bool {
        switch address.count {
        case 4: return isPublicIPv4(address)
        case 16: return isPublicIPv6(address)
        default: return false
        }
    }

    private static func isPublicIPv4(_ a: [UInt8]) -> Bool {
        switch (a[0], a[1], a[2]) {
        case (0, _, _): false  // "this network" 0.0.0.0/8
        case (10, _, _): false  // private 10/8
        case (100, 64...127, _): false  // carrier-grade NAT 100.64/10
        case (127, _, _): false  // loopback 127/8
        case (169, 254, _): false  // link-local 169.254/16 (cloud metadata services live here)
        case (172, 16...31, _): false  // private 172.16/12
        case (192, 0, 0), (192, 0, 2): false  // IETF protocol assignments, TEST-NET-1
        case (192, 168, _): false  // private 192.168/16
        case (198, 18...19, _): false  // benchmarking 198.18/15
        case (198, 51, 100), (203, 0, 113): false  // TEST-NET-2, TEST-NET-3
        case (224...255, _, _): false  // multicast 224/4, reserved 240/4, broadcast
        default: true
        }
    }

    private static func isPublicIPv6(_ a: [UInt8]) -> Bool {
        let firstTen = a[0..<10].allSatisfy { $0 == 0 }
        // ::/128 unspecified, ::1 loopback, and the deprecated IPv4-compatible ::a.b.c.d.
        if firstTen && a[10] == 0 && a[11] == 0 {
            if a[12..<16].allSatisfy({ $0 == 0 }) || a[12..<15].allSatisfy({ $0 == 0 }) && a[15] == 1 { return false }
            return isPublicIPv4(Array(a[12..<16]))
        }
        // ::ffff:a.b.c.d, IPv4-mapped: the kernel connects to the IPv4 address.
        if firstTen && a[10] == 0xff && a[11] == 0xff { return isPublicIPv4(Array(a[12..<16])) }
        // 64:ff9b::/96, NAT64: a gateway connects to the embedded IPv4 address.
        if a[0] == 0x00, a[1] == 0x64, a[2] == 0xff, a[3] == 0x9b, a[4..<12].allSatisfy({ $0 == 0 }) {
            return isPublicIPv4(Array(a[12..<16]))
        }
        // 2002::/16, 6to4: the IPv4 address sits in bytes 2 to 5.
        if a[0] == 0x20, a[1] == 0x02 { return isPublicIPv4(Array(a[2..<6])) }
        if a[0] & 0xfe == 0xfc { return false }  // unique local fc00::/7
        if a[0] == 0xfe, a[1] & 0xc0 == 0x80 { return false }  // link-local fe80::/10
        if a[0] == 0xfe, a[1] & 0xc0 == 0xc0 { return false }  // site-local fec0::/10 (deprecated)
        if a[0] == 0xff { return false }  // multicast ff00::/8
        if a[0] == 0x20, a[1] == 0x01, a[2] == 0x0d, a[3] == 0xb8 { return false }  // documentation 2001:db8::/32
        if a[0] == 0x01, a[1..<8].allSatisfy({ $0 == 0 }) { return false }  // discard-only 100::/64
        return true
    }

    /// The bytes of `host` when it is a numeric IPv4 (dotted quad) or IPv6 address.
    static func addressBytes(ofLiteral host: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// Every address `host` resolves to (getaddrinfo, both families). Also handles the
    /// numeric forms inet_pton refuses (`2130706433`, `0x7f.1`), which resolve to themselves.
    static func resolve(_ host: String) throws -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else { throw Refusal(reason: String(cString: gai_strerror(status))) }
        defer { freeaddrinfo(list) }
        var addresses: [[UInt8]] = []
        var node = list
        while let entry = node {
            if let address = entry.pointee.ai_addr {
                switch entry.pointee.ai_family {
                case AF_INET:
                    var inner = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    addresses.append(withUnsafeBytes(of: &inner) { Array($0) })
                case AF_INET6:
                    var inner = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    addresses.append(withUnsafeBytes(of: &inner) { Array($0) })
                default: break
                }
            }
            node = entry.pointee.ai_next
        }
        return addresses
    }

    /// `address` written out (for refusal reasons).
    static func text(of address: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = address.count == 4 ? AF_INET : AF_INET6
        let written = address.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        guard written != nil else { return "an unreadable address" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
