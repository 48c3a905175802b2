import Foundation
import ParleyClient
import Testing

/// The browser client's files as a node serves them (the pages themselves are tested in
/// a real browser by Tests/Browser).
@Suite struct WebClientTests {
    @Test func theClientIsServedWithAStrictPolicyAndNothingElseIs() async throws {
        try await TestServer.with { server in
            let anonymous = server.anonymous()
            let page = try await anonymous.raw(.GET, "/")
            #expect(page.status == 200)
            #expect(page.header("content-type") == "text/html; charset=utf-8")
            #expect(page.header("content-security-policy")?.contains("default-src 'self'") == true)
            #expect(String(decoding: page.body, as: UTF8.self).contains("/web/app.js"))
            let script = try await anonymous.raw(.GET, "/web/app.js")
            #expect(script.status == 200)
            #expect(script.header("content-type") == "text/javascript; charset=utf-8")
            #expect(script.header("x-content-type-options") == "nosniff")
            #expect(try await anonymous.raw(.GET, "/web/views/thread.js").status == 200)
            let head = try await anonymous.raw(.HEAD, "/web/app.js")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.header("content-length") == String(script.body.count))
            #expect(try await anonymous.raw(.HEAD, "/web/nope.js").status == 404)
            // Nothing outside the client's folder, nothing hidden, nothing missing.
            for path in ["/web/../Package.swift", "/web/%2e%2e/Package.swift", "/web/.gitignore", "/web/nope.js", "/web/"] {
                let response = try await anonymous.raw(.GET, path)
                #expect(response.status == 404, "\(path)")
            }
            // The sign-in picker exists only with --dev.
            #expect(try await anonymous.raw(.GET, "/dev/users").status == 404)
            #expect(try await anonymous.rawJSON(.POST, "/dev/tokens", #"{"userId":"ana"}"#).status == 404)
        }
    }
}
