import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import ParleyCore

/// The browser client: `/` and `/web/…` for its files, and with `--dev` the sign-in
/// picker's `/dev/users` and `/dev/tokens`. No token needed (the page brings its own
/// to the API).
struct WebClientRoutes {
    let assets: WebAssets
    let devSignIn: DevSignIn?
    /// The origins that may frame the page and post it a token (`--allowed-origins`),
    /// besides the page's own.
    let embeddingOrigins: [String]

    init(configuration: WebClientConfiguration, embeddingOrigins: [String] = []) {
        if let root = configuration.root {
            assets = WebAssets(root: root, reloads: true)
        } else {
            assets = WebAssets(root: WebClientConfiguration.builtInRoot, reloads: false)
        }
        devSignIn = configuration.devSignIn
        // Only well-formed origins: they go verbatim into a header and an attribute.
        self.embeddingOrigins = embeddingOrigins.filter(BrowserOrigin.isValid)
    }

    /// The page may talk only to this server (HTTP, and WebSocket: CSP 3 lets `'self'`
    /// match `ws:`/`wss:` on the page's own host and port), loads nothing else, and may be
    /// framed only by itself and `embeddingOrigins` (login CSRF and clickjacking: a page
    /// elsewhere could otherwise frame it and post it a token of its own choosing). No
    /// `X-Frame-Options`: it cannot name several origins, and `frame-ancestors` wins.
    static func contentSecurityPolicy(embeddingOrigins: [String]) -> String {
        let ancestors = (["'self'"] + embeddingOrigins).joined(separator: " ")
        return "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors \(ancestors)"
    }

    /// The placeholder in `index.html` that tells the page's script which parent origins
    /// may post it a token; filled in as each page is served.
    static let embeddingOriginsPlaceholder = #"<meta name="parley-embedding-origins" content="">"#

    func add(to router: Router<ParleyRequestContext>) {
        let assets = self.assets
        let page = PageHeaders(embeddingOrigins: embeddingOrigins)
        router.get("/") { _, _ in
            try Self.response(assets.file("index.html"), path: "index.html", page: page)
        }
        router.get("web/**") { _, context in
            let path = context.parameters.getCatchAll().joined(separator: "/")
            return try Self.response(assets.file(path), path: path, page: page)
        }
        // HEAD: the same headers, no body (link checkers, proxies, caches ask so).
        router.head("/") { _, _ in
            try Self.response(assets.file("index.html"), path: "index.html", page: page).withoutBody()
        }
        router.head("web/**") { _, context in
            let path = context.parameters.getCatchAll().joined(separator: "/")
            return try Self.response(assets.file(path), path: path, page: page).withoutBody()
        }
        guard let devSignIn else { return }
        router.get("dev/users") { _, _ in
            JSONBody.response(DevUsersBody(users: devSignIn.users))
        }
        router.post("dev/tokens") { request, _ in
            let body = try await JSONBody.decode(DevTokenRequest.self, from: request)
            guard let user = devSignIn.users.first(where: { $0.userId == body.userId }) else {
                throw ParleyError.invalid(field: "userId", reason: "not one of the demo users of GET /dev/users")
            }
            let token = try await devSignIn.signer.sign(
                userID: user.userId, role: user.role, name: user.name, timeToLive: 12 * 3600)
            return JSONBody.response(DevTokenBody(token: token, user: user))
        }
    }

    /// What every HTML page gets: its policy, and the embedding origins for its script.
    struct PageHeaders: Sendable {
        let contentSecurityPolicy: String
        let embeddingOriginsTag: String

        init(embeddingOrigins: [String]) {
            contentSecurityPolicy = WebClientRoutes.contentSecurityPolicy(embeddingOrigins: embeddingOrigins)
            // Valid origins hold no quote, `<`, `>` or `&` (see BrowserOrigin): nothing to escape.
            embeddingOriginsTag =
                #"<meta name="parley-embedding-origins" content=""# + embeddingOrigins.joined(separator: " ") + #"">"#
        }
    }

    private static func response(_ file: WebAssets.File?, path: String, page: PageHeaders) throws -> Response {
        guard let file else { throw ParleyError.notFound(what: "file /web/\(path)") }
        var headers: HTTPFields = [
            .contentType: file.contentType, .cacheControl: "no-cache",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        var body = file.body
        if file.contentType.hasPrefix("text/html") {
            headers[HTTPField.Name("Content-Security-Policy")!] = page.contentSecurityPolicy
            headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
            let text = String(buffer: body)
            if text.contains(embeddingOriginsPlaceholder) {
                body = ByteBuffer(string: text.replacingOccurrences(of: embeddingOriginsPlaceholder, with: page.embeddingOriginsTag))
            }
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}

extension Response {
    /// This response's status and headers, with its body's length but no body (for HEAD).
    fileprivate func withoutBody() -> Response {
        var headers = self.headers
        if let length = body.contentLength { headers[.contentLength] = String(length) }
        return Response(status: status, headers: headers, body: ResponseBody())
    }
}

struct DevUsersBody: Encodable {
    var users: [DemoUser]
}

struct DevTokenRequest: Decodable {
    var userId: String
}

struct DevTokenBody: Encodable {
    var token: String
    var user: DemoUser
}
