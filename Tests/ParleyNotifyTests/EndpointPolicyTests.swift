import Foundation
import Testing

@testable import ParleyNotify

/// Which URLs the server may call: push endpoints (untrusted) and webhooks (the service's own).
@Suite struct EndpointPolicyTests {
    static let push = EndpointPolicy.push(allowInsecure: false)

    static func refusal(_ policy: EndpointPolicy, _ endpoint: String) async -> String? {
        await policy.refusal(for: endpoint)
    }

    @Test(arguments: [
        "https://127.0.0.1/push", "https://127.1.2.3:8443/push", "https://10.0.0.5/p", "https://192.168.1.10/p",
        "https://172.16.0.1/p", "https://172.31.255.255/p", "https://100.64.0.1/p", "https://169.254.169.254/latest/meta-data",
        "https://0.0.0.0/p", "https://[::1]/p", "https://[::]/p", "https://[fc00::1]/p", "https://[fd12:3456::1]/p",
        "https://[fe80::1]/p", "https://[::ffff:127.0.0.1]/p", "https://[::ffff:10.1.2.3]/p", "https://[64:ff9b::a00:1]/p",
        "https://[2002:c0a8:0101::1]/p", "https://224.0.0.1/p", "https://255.255.255.255/p",
    ])
    func pushRefusesLoopbackAndPrivateAddresses(endpoint: String) async {
        let reason = await Self.refusal(Self.push, endpoint)
        #expect(reason?.contains("not a public internet address") == true, "\(endpoint): \(reason ?? "allowed")")
    }

    @Test func pushRefusesANameThatResolvesToLoopback() async throws {
        let reason = try #require(await Self.refusal(Self.push, "https://localhost:8443/push"))
        #expect(reason.contains("localhost") && reason.contains("not a public internet address"), "\(reason)")
        // Numeric forms getaddrinfo reads as 127.0.0.1.
        #expect(await Self.refusal(Self.push, "https://2130706433/push") != nil)
        #expect(await Self.refusal(Self.push, "https://0x7f.1/push") != nil)
    }

    @Test func aNameThatDoesNotResolveIsATransientRefusal() async {
        // `.invalid` never resolves (RFC 6761): a refusal to retry later, not a reason to
        // delete a subscription, unlike a private address.
        await #expect(throws: EndpointPolicy.Refusal.self) {
            _ = try await EndpointPolicy.push(allowInsecure: false).check("https://push.parley-test.invalid/x")
        }
        do {
            _ = try await EndpointPolicy.push(allowInsecure: false).check("https://push.parley-test.invalid/x")
        } catch {
            #expect(error.isTransient)
        }
        do {
            _ = try await EndpointPolicy.push(allowInsecure: false).check("https://127.0.0.1/x")
            Issue.record("loopback accepted")
        } catch {
            #expect(!error.isTransient)
        }
    }

    @Test func pushRefusesPlainHTTPAndOtherSchemes() async {
        #expect(await Self.refusal(Self.push, "http://93.184.216.34/push") == "only https:// URLs are allowed")
        #expect(await Self.refusal(Self.push, "ftp://93.184.216.34/push")?.contains("scheme ftp") == true)
        #expect(await Self.refusal(Self.push, "https:///nohost") != nil)
        #expect(await Self.refusal(Self.push, "not a url") != nil)
        #expect(await Self.refusal(Self.push, "https://93.184.216.34/" + String(repeating: "a", count: 3000)) != nil)
    }

    @Test func pushAllowsPublicAddresses() async throws {
        for endpoint in ["https://93.184.216.34/push/abc", "https://[2606:4700:4700::1111]/push", "https://8.8.8.8:8443/x"] {
            #expect(await Self.refusal(Self.push, endpoint) == nil, "\(endpoint)")
            #expect(try await Self.push.check(endpoint).absoluteString == endpoint)
        }
    }

    @Test func allowInsecureLiftsBothRules() async {
        let insecure = EndpointPolicy.push(allowInsecure: true)
        for endpoint in ["http://127.0.0.1:9000/push", "http://localhost:9000/push", "https://10.0.0.1/p", "http://[::1]:80/p"] {
            #expect(await Self.refusal(insecure, endpoint) == nil, "\(endpoint)")
        }
        #expect(await Self.refusal(insecure, "file:///etc/passwd") != nil)
    }

    @Test func webhooksMayCallAnyHTTPAddress() async {
        for endpoint in ["http://127.0.0.1:9000/hook", "http://10.0.0.7/hook", "https://helpdesk.internal/hook", "http://localhost/x"] {
            #expect(await Self.refusal(.webhook, endpoint) == nil, "\(endpoint)")
        }
        #expect(await Self.refusal(.webhook, "gopher://127.0.0.1/") != nil)
    }

    @Test func addressClassification() {
        #expect(EndpointPolicy.isPublic([93, 184, 216, 34]))
        #expect(EndpointPolicy.isPublic([172, 32, 0, 1]))
        #expect(EndpointPolicy.isPublic([100, 128, 0, 1]))
        #expect(!EndpointPolicy.isPublic([172, 16, 0, 1]))
        #expect(!EndpointPolicy.isPublic([100, 127, 255, 255]))
        #expect(!EndpointPolicy.isPublic([1, 2, 3]))
        #expect(EndpointPolicy.text(of: [10, 0, 0, 1]) == "10.0.0.1")
        #expect(EndpointPolicy.text(of: EndpointPolicy.addressBytes(ofLiteral: "fe80::1")!) == "fe80::1")
    }
}
