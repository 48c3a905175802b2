import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ParleyCore

/// The browser client: `/`, `/sw.js` (its service worker) and `/web/…` for its files (Hummingbird's `FileMiddleware`
/// over a `WebAssetProvider`), `/web/limits.json` for the server's sizes, and with
/// `--dev` the sign-in picker's `/dev/users` and `/dev/tokens`. No token needed (the
/// page brings its own to the API).
struct WebClientRoutes {
    let files: WebAssetProvider
    let devSignIn: DevSignIn?
    /// The origins that may frame the page and post it a token (`--allowed-origins`),
    /// besides the page's own.
    let embeddingOrigins: [String]

    init(configuration: WebClientConfiguration, embeddingOrigins: [String] = []) {
        // Only well-formed origins: they go verbatim into a header and an attribute.
        let embeddingOrigins = embeddingOrigins.filter(BrowserOrigin.isValid)
        self.embeddingOrigins = embeddingOrigins
        // Valid origins hold no quote, `<`, `>` or `&` (see BrowserOrigin): nothing to escape.
        let tag = #"<meta name="parley-embedding-origins" content=""# + embeddingOrigins.joined(separator: " ") + #"">"#
        if let root = configuration.root {
            files = WebAssetProvider(root: root, reloads: true, embeddingOriginsTag: tag)
        } else {
            files = WebAssetProvider(root: WebClientConfiguration.builtInRoot, reloads: false, embeddingOriginsTag: tag)
        }
        devSignIn = configuration.devSignIn
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

    /// Every file type the client ships, with the charset of text (FileMiddleware's own
    /// table names none, and `text/javascript` is what browsers expect of modules).
    static let mediaTypes: [String: MediaType] = [
        "html": MediaType(type: .text, subType: "html", parameter: ("charset", "utf-8")),
        "js": MediaType(type: .text, subType: "javascript", parameter: ("charset", "utf-8")),
        "mjs": MediaType(type: .text, subType: "javascript", parameter: ("charset", "utf-8")),
        "css": MediaType(type: .text, subType: "css", parameter: ("charset", "utf-8")),
        "json": MediaType(type: .application, subType: "json"),
        "svg": MediaType(type: .image, subType: "svg+xml"),
        "png": MediaType(type: .image, subType: "png"),
        "ico": MediaType(type: .image, subType: "x-icon"),
        "webmanifest": MediaType(type: .application, subType: "manifest+json"),
    ]

    func add(to router: Router<ParleyRequestContext>) {
        let limits = Self.limitsResponse()
        let site = router.group()
            .add(middleware: WebClientMiddleware(pagePolicy: Self.contentSecurityPolicy(embeddingOrigins: embeddingOrigins)))
            .add(
                middleware: FileMiddleware(
                    fileProvider: files, cacheControl: CacheControl([(MediaType(type: .any), [.noCache])])
                ).withAdditionalMediaTypes(forFileExtensions: Self.mediaTypes))
        // The routes only claim the paths: they answer 404, and FileMiddleware, seeing
        // the 404, serves the file when there is one (GET and HEAD, with validators and ranges).
        site.get("/") { _, _ -> Response in throw ParleyError.notFound(what: "file /web/index.html") }
        site.head("/") { _, _ -> Response in throw ParleyError.notFound(what: "file /web/index.html") }
        site.get("sw.js") { _, _ -> Response in throw ParleyError.notFound(what: "file /web/sw.js") }
        site.head("sw.js") { _, _ -> Response in throw ParleyError.notFound(what: "file /web/sw.js") }
        site.get("web/**") { _, context -> Response in throw Self.fileNotFound(context) }
        site.head("web/**") { _, context -> Response in throw Self.fileNotFound(context) }
        site.get("web/limits.json") { _, _ in limits }
        site.head("web/limits.json") { _, _ in
            var headers = limits.headers
            headers[.contentLength] = String(limits.body.contentLength ?? 0)
            return Response(status: .ok, headers: headers, body: ResponseBody())
        }
        guard let devSignIn else { return }
        router.get("dev/users") { _, _ in
            DevUsersBody(users: devSignIn.users)
        }
        router.post("dev/tokens") { request, context in
            let body = try await request.decode(as: DevTokenRequest.self, context: context)
            guard let user = devSignIn.users.first(where: { $0.userId == body.userId }) else {
                throw ParleyError.invalid(field: "userId", reason: "not one of the demo users of GET /dev/users")
            }
            let token = try await devSignIn.signer.sign(
                userID: user.userId, role: user.role, name: user.name, timeToLive: 12 * 3600)
            return DevTokenBody(token: token, user: user)
        }
    }

    private static func fileNotFound(_ context: ParleyRequestContext) -> ParleyError {
        .notFound(what: "file /web/" + context.parameters.getCatchAll().joined(separator: "/"))
    }

    /// `GET /web/limits.json`, encoded once: the limits change only with the server.
    private static func limitsResponse() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Encoding a struct of integers cannot fail.
        let data = (try? encoder.encode(WebClientLimits())) ?? Data("{}".utf8)
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
