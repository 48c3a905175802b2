import Foundation
import ParleyClient
import ParleyCore
import ParleyServer
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
            #expect(try await anonymous.raw(.GET, "/web/views/composer.js").status == 200)
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

    @Test func theLimitsTheClientChecksAreTheServersOwn() async throws {
        try await TestServer.with { server in
            let anonymous = server.anonymous()
            let response = try await anonymous.raw(.GET, "/web/limits.json")
            #expect(response.status == 200)
            #expect(response.header("content-type") == "application/json")
            #expect(response.header("x-content-type-options") == "nosniff")
            let limits = try JSONDecoder().decode([String: Int].self, from: response.body)
            #expect(limits["maxContentBytes"] == Limits.maxContentBytes)
            #expect(limits["maxLabelBytes"] == Limits.maxLabelBytes)
            #expect(limits["maxSearchQueryBytes"] == Limits.maxSearchQueryBytes)
            #expect(limits["defaultPageSize"] == Limits.defaultPageSize)
            #expect(limits["maxPageSize"] == Limits.maxPageSize)
            #expect(limits["maxSearchPageSize"] == Limits.maxSearchPageSize)
            let head = try await anonymous.raw(.HEAD, "/web/limits.json")
            #expect(head.status == 200 && head.body.isEmpty)
            #expect(head.header("content-length") == String(response.body.count))
        }
    }

    @Test func filesAreRevalidatedAndServedInRanges() async throws {
        try await TestServer.with { server in
            let anonymous = server.anonymous()
            let page = try await anonymous.raw(.GET, "/")
            let tag = try #require(page.header("etag"))
            // A page the browser has: 304, still with the page's policy.
            let again = try await anonymous.raw(.GET, "/", headers: [("If-None-Match", tag)])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            #expect(Self.directives(again.header("content-security-policy"))["frame-ancestors"] == ["'self'"])
            // A range of the page as served (with its origins filled in).
            let part = try await anonymous.raw(.GET, "/web/index.html", headers: [("Range", "bytes=0-14")])
            #expect(part.status == 206)
            #expect(part.body == page.body.prefix(15))
            #expect(part.header("content-range") == "bytes 0-14/\(page.body.count)")
        }
    }

    /// The directives of a Content-Security-Policy, by name.
    static func directives(_ policy: String?) -> [String: [String]] {
        var directives: [String: [String]] = [:]
        for directive in (policy ?? "").split(separator: ";") {
            let words = directive.split(separator: " ").map(String.init)
            if let name = words.first { directives[name] = Array(words.dropFirst()) }
        }
        return directives
    }

    @Test func withoutAllowedOriginsOnlyThePageItselfMayFrameItOrBeTalkedTo() async throws {
        try await TestServer.with { server in
            for method in [ParleyRESTClient.Method.GET, .HEAD] {
                let page = try await server.anonymous().raw(method, "/")
                let policy = Self.directives(page.header("content-security-policy"))
                #expect(policy["frame-ancestors"] == ["'self'"], "\(method)")
                // Not `ws:`/`wss:` to any host: 'self' covers this origin's own WebSocket.
                #expect(policy["connect-src"] == ["'self'"], "\(method)")
                // frame-ancestors alone decides; X-Frame-Options could only contradict it.
                #expect(page.header("x-frame-options") == nil, "\(method)")
            }
            let body = String(decoding: try await server.anonymous().raw(.GET, "/").body, as: UTF8.self)
            #expect(body.contains(#"<meta name="parley-embedding-origins" content="">"#))
        }
    }

    @Test func allowedOriginsMayFrameThePageAndAreNamedToItsScript() async throws {
        let origins = ["https://shop.example", "http://localhost:8081"]
        try await TestServer.with(options: .init(allowedOrigins: origins)) { server in
            let anonymous = server.anonymous()
            let page = try await anonymous.raw(.GET, "/")
            #expect(Self.directives(page.header("content-security-policy"))["frame-ancestors"] == ["'self'"] + origins)
            let body = String(decoding: page.body, as: UTF8.self)
            #expect(body.contains(#"<meta name="parley-embedding-origins" content="https://shop.example http://localhost:8081">"#))
            // The page served under /web/ too, and HEAD counts the filled-in page.
            let direct = try await anonymous.raw(.GET, "/web/index.html")
            #expect(Self.directives(direct.header("content-security-policy"))["frame-ancestors"] == ["'self'"] + origins)
            #expect(String(decoding: direct.body, as: UTF8.self).contains("content=\"https://shop.example http://localhost:8081\""))
            #expect(try await anonymous.raw(.HEAD, "/").header("content-length") == String(page.body.count))
            // Only pages carry a policy: scripts are not framed.
            #expect(try await anonymous.raw(.GET, "/web/app.js").header("content-security-policy") == nil)
        }
    }

    @Test func anOriginThatIsNotOneIsNeitherPolicyNorMarkup() async throws {
        // Passed straight to the configuration (`parley serve` refuses it at start).
        let hostile = [#"https://a.example; script-src *"#, #"https://b.example" onload="x"#, "https://ok.example"]
        try await TestServer.with(options: .init(allowedOrigins: hostile)) { server in
            let page = try await server.anonymous().raw(.GET, "/")
            let policy = Self.directives(page.header("content-security-policy"))
            #expect(policy["frame-ancestors"] == ["'self'", "https://ok.example"])
            #expect(policy["script-src"] == ["'self'"])
            #expect(String(decoding: page.body, as: UTF8.self).contains(#"content="https://ok.example">"#))
        }
    }

    @Test func originsAreAcceptedOnlyAsBrowsersSpellThem() {
        for valid in [
            "https://shop.example", "http://localhost:8081", "https://xn--tienda-ssa.example", "http://127.0.0.1:9000",
            "https://[::1]:8443", "https://a-b.c.example",
        ] {
            #expect(BrowserOrigin.isValid(valid), "\(valid)")
        }
        for invalid in [
            "", "shop.example", "https://shop.example/", "https://Shop.example", "https://shop.example:443", "http://shop.example:80",
            "https://*.shop.example", "ftp://shop.example", "https://shop.example/path", "https://shop.example:0",
            "https://shop.example:65536", "https://shop.example:", "https://shop..example", "https://-shop.example",
            "https://shop.example;", "https://shop.example 'unsafe-inline'", "null", "https://user@shop.example",
            "https://[::1", "https://[zz]",
        ] {
            #expect(!BrowserOrigin.isValid(invalid), "\(invalid)")
        }
    }
}
